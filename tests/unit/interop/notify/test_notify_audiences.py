"""Notifications that respect people: one mail each, no cost figures for people outside the
organisation, each stakeholder's frequency, one post per webhook, a dry run without settings,
alerts in words. Against a real SMTP server and a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import json
import re
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.bootstrap.notify_settings import notification_config
from techpm.cli.main import app
from techpm.services.notifying import Sending, send_alerts, send_report
from techpm.services.recipients import Addressee, due, finished_milestones
from techpm.services.status_reporting import build_report

from .test_notify_cli import EXAMPLE, env, settings  # noqa: F401  (env: a fixture)
from .test_smtp import Server, ca, secure  # noqa: F401  (fixtures)
from .test_webhook import Receiver, no_proxy, receiver  # noqa: F401  (fixtures)

runner = CliRunner()
CLIENT = (
    "  - {id: client, name: Ada Buyer, organisation: Acme Retail, external: true, interest: 4,"
    " influence: 4, email: ada@acme-retail.example, frequency: weekly}\n"
)
# an external auditor who may see the money
AUDITOR = (
    "  - {id: auditor, name: Bo Audit, organisation: Audit LLP, external: true, costs: true,"
    " interest: 2, influence: 4, email: bo@audit.example, frequency: weekly}\n"
)


def plan_with(tmp_path: Path, *extra: str, rules: str = "") -> Path:
    """The mobile app example with extra stakeholders (and status rules)."""
    text = EXAMPLE.read_text()
    text = text.replace("stakeholders:\n", "stakeholders:\n" + "".join(extra), 1)
    if rules:
        text = text.replace("  currency: USD\n", f"  currency: USD\n  status_rules: {rules}\n", 1)
    plan = tmp_path / "app.yaml"
    plan.write_text(text)
    return plan


def mails(server: Server) -> dict[str, EmailMessage]:
    found = {}
    for envelope in server.recorder.envelopes:
        [address] = envelope.rcpt_tos  # one recipient per mail
        found[address] = email.message_from_bytes(envelope.content, policy=email.policy.default)
    return found


def attachment_text(mail: EmailMessage) -> str:
    [attachment] = list(mail.iter_attachments())
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


@pytest.mark.usefixtures("env")
def test_outside_people_get_their_own_mail_without_cost_figures(
    tmp_path: Path,
    secure: Server,  # noqa: F811
    receiver: Receiver,  # noqa: F811
) -> None:
    plan = plan_with(tmp_path, CLIENT, AUDITOR)
    config = settings(tmp_path, secure, receiver)
    result = runner.invoke(app, ["notify", str(plan), "--config", str(config), "-n", "50"])
    assert result.exit_code == 0, result.output
    got = mails(secure)
    assert set(got) == {
        "dana.whitfield@basket.app",
        "priya.nair@basket.app",
        "tom.becker@basket.app",
        "ada@acme-retail.example",
        "bo@audit.example",
    }
    for address, mail in got.items():
        assert mail["To"] == address
        assert mail["Cc"] is None
    internal = attachment_text(got["dana.whitfield@basket.app"])
    client = attachment_text(got["ada@acme-retail.example"])
    auditor = attachment_text(got["bo@audit.example"])
    # the budget and the spend, as the sponsor's summary gives them, reach inside people only
    sponsor = got["dana.whitfield@basket.app"].get_body().get_content()
    spent = re.search(r"([\d,]+) USD spent", sponsor)
    budget = re.search(r"of a ([\d,]+) budget", sponsor)
    assert spent, sponsor
    assert budget, sponsor
    for figure in (spent[1], budget[1], "USD spent"):
        assert figure not in client
        assert figure not in got["ada@acme-retail.example"].get_body().get_content()
    assert budget[1] in got["bo@audit.example"].get_body().get_content()
    assert "executive edition" in client
    assert 'data-key="rule.cpi">not shown<' in client  # rated, its value withheld
    assert 'data-key="rule.cpi">not shown<' not in internal
    assert "cost_p80" not in client  # executive: no cost section
    assert "cost_p80" not in auditor
    # the overall rating stays the project's own
    assert got["ada@acme-retail.example"]["Subject"].startswith("[RED]")
    assert internal != client
    [(_, _, body)] = receiver.requests  # one post per run, whatever the editions
    assert "attached" not in json.dumps(body)


@pytest.mark.usefixtures("env")
def test_each_frequency_is_honoured_and_the_last_send_remembered(
    tmp_path: Path,
    secure: Server,  # noqa: F811
    receiver: Receiver,  # noqa: F811
) -> None:
    # cpo weekly, legal at milestones, finance monthly (the example's communication plan)
    plan = plan_with(tmp_path)
    config = notification_config(settings(tmp_path, secure, receiver))
    output = tmp_path / "status.md"

    def run(day: date) -> set[str]:
        before = len(secure.recorder.envelopes)
        how = Sending(config, iterations=0, today=day, sleep=lambda _: None)
        send_report(plan, output, how)
        return {a for e in secure.recorder.envelopes[before:] for a in e.rcpt_tos}

    everyone = {"dana.whitfield@basket.app", "priya.nair@basket.app", "tom.becker@basket.app"}
    assert run(date(2027, 3, 19)) == everyone  # nobody had a report yet
    assert run(date(2027, 3, 22)) == set()  # three days later nobody is due
    assert run(date(2027, 3, 26)) == {"dana.whitfield@basket.app"}  # a week after: weekly
    assert run(date(2027, 4, 18)) == {"dana.whitfield@basket.app"}
    assert run(date(2027, 4, 19)) == {"tom.becker@basket.app"}  # a month after 03-19
    state = json.loads((tmp_path / "app.notify.json").read_text())
    assert state["recipients"]["tom.becker@basket.app"]["last_sent"] == "2027-04-19"
    assert state["recipients"]["priya.nair@basket.app"]["last_sent"] == "2027-03-19"
    assert run(date(2027, 4, 20)) == set()  # legal waits for a milestone (next test)
    # every webhook is posted to once per run, due or not
    assert len(receiver.requests) == 6


MILESTONES = """\
project: {name: Gates, start: 2027-01-04, status_date: 2027-01-08}
tasks:
  - {id: a, name: A, duration: 5d, actual_start: 2027-01-04, actual_finish: 2027-01-08,
     percent_complete: 100}
  - {id: m1, name: Design signed off, milestone: true, after: [a]%s}
  - {id: b, name: B, duration: 5d, after: [m1]}
  - {id: m2, name: Launch, milestone: true, after: [b]}
"""


def test_milestone_cadence_waits_for_a_milestone(tmp_path: Path) -> None:
    plan = tmp_path / "gates.yaml"
    legal = Addressee("legal@example.com", "executive", True, "milestone", "Legal")
    today = date(2027, 1, 8)
    plan.write_text(MILESTONES % "")
    before, _ = build_report(plan, iterations=0)
    assert due(legal, None, today, before) is None  # the first report is always due
    told = {"last_sent": "2027-01-04", "milestones": finished_milestones(before)}
    assert due(legal, told, today, before) == "at milestones; no milestone reached since 2027-01-04"
    # m1 is recorded reached: legal is due again, and only once
    plan.write_text(
        MILESTONES % ", actual_start: 2027-01-08, actual_finish: 2027-01-08, percent_complete: 100"
    )
    after, _ = build_report(plan, iterations=0)
    assert finished_milestones(after) == ["m1"]
    assert due(legal, told, today, after) is None
    told = {"last_sent": "2027-01-08", "milestones": finished_milestones(after)}
    assert due(legal, told, today, after) is not None


def test_a_dry_run_needs_no_settings_and_lists_who_gets_what(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TECHPM_SMTP_HOST", "TECHPM_WEBHOOK_URL", "TECHPM_MAIL_TO"):
        monkeypatch.delenv(name, raising=False)
    plan = plan_with(tmp_path, CLIENT)
    result = runner.invoke(app, ["notify", str(plan), "--dry-run", "-n", "0"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "(executive edition, without cost figures)" in out
    assert "ada@acme-retail.example" in out
    assert "dana.whitfield@basket.app" in out
    assert "dry run, nothing sent" in out
    assert not (tmp_path / "app.notify.json").exists()


@pytest.mark.usefixtures("env")
def test_alerts_are_in_words_rounded_and_cost_alerts_stay_inside(
    tmp_path: Path,
    secure: Server,  # noqa: F811
    receiver: Receiver,  # noqa: F811
) -> None:
    # CPI is 0.928 on the example's status date: red below 0.93 makes it an alert
    plan = plan_with(tmp_path, CLIENT, rules="{cpi: {amber: 0.95, red: 0.93}}")
    config = notification_config(settings(tmp_path, secure, receiver))
    notices = send_alerts(plan, Sending(config, iterations=0, sleep=lambda _: None))
    assert all(n.ok for n in notices)
    got = mails(secure)
    sponsor = got["dana.whitfield@basket.app"].get_body().get_content()
    # named in words, rounded as `techpm evm` prints indices, with the limit crossed
    assert re.search(
        r"Cost performance index \(CPI\) turned red: 0\.\d{3} \(red below 0\.93\)\s", sponsor
    )
    assert re.search(
        r"Schedule performance index \(SPI\) turned red: 0\.\d{3} \(red below 0\.9\)", sponsor
    )
    client = got["ada@acme-retail.example"].get_body().get_content()
    assert "SPI" in client
    assert "CPI" not in client
    assert len(receiver.requests) == 1
