"""`techpm notify` end to end: a real SMTP server (STARTTLS and login) and a real HTTP
receiver on 127.0.0.1, the report kept on disk, alerts sent once, failures retried."""

from __future__ import annotations

import email
import email.policy
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_INVALID_INPUT, EXIT_UNDELIVERED

from .test_smtp import PASSWORD, USER, Server, ca, secure  # noqa: F401  (fixtures)
from .test_webhook import TOKEN, Receiver, no_proxy, receiver  # noqa: F401  (fixtures)

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "mobile-app-launch.yaml"


def settings(tmp_path: Path, smtp: Server, hook: Receiver, retries: int = 1) -> Path:
    path = tmp_path / "notify.toml"
    path.write_text(
        f"""\
[smtp]
host = "127.0.0.1"
port = {smtp.port}
username = "{USER}"
password_env = "MAIL_PASSWORD"
from = "pm@basket.app"
ca_file = "{smtp.ca_file}"
timeout = 3

[[webhooks]]
url_env = "CHAT_HOOK"
format = "slack"

[delivery]
retries = {retries}
backoff = 0
"""
    )
    return path


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, receiver: Receiver) -> None:  # noqa: F811
    monkeypatch.setenv("MAIL_PASSWORD", PASSWORD)
    monkeypatch.setenv("CHAT_HOOK", receiver.url)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    plan = tmp_path / "app.yaml"
    shutil.copy(EXAMPLE, plan)
    return plan


@pytest.mark.usefixtures("env")
def test_report_goes_to_the_communication_plan_and_is_kept(
    example: Path,
    secure: Server,  # noqa: F811
    receiver: Receiver,  # noqa: F811
) -> None:
    plan, tmp_path = example, example.parent
    config = settings(tmp_path, secure, receiver)
    result = runner.invoke(app, ["notify", str(plan), "--config", str(config), "-n", "0"])
    assert result.exit_code == 0, result.output
    # cpo, legal and finance are reached by e-mail, each in a mail of their own; the plan
    # gives each the executive edition
    envelopes = secure.recorder.envelopes
    assert sorted(address for e in envelopes for address in e.rcpt_tos) == [
        "dana.whitfield@basket.app",
        "priya.nair@basket.app",
        "tom.becker@basket.app",
    ]
    kept = tmp_path / "app-status.html"
    for envelope in envelopes:
        [address] = envelope.rcpt_tos
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert mail["To"] == address  # nobody sees who else got it
        assert mail["Subject"].startswith("[RED] Basket mobile app v1.0 launch: status 2027-03-19")
        [attachment] = list(mail.iter_attachments())
        assert attachment.get_filename() == "app-status.html"
        assert attachment.get_payload(decode=True) == kept.read_bytes()
    assert "executive edition" in kept.read_text()
    [(_, _, body)] = receiver.requests  # one post to the webhook, not one per edition
    assert body["text"].startswith("[RED] Basket mobile app v1.0 launch")
    assert "attached" not in json.dumps(body)
    state = json.loads((tmp_path / "app.notify.json").read_text())
    [targets] = state["sent"].values()
    assert len(targets) == 4  # three mails and the webhook
    assert PASSWORD not in result.output
    assert TOKEN not in result.output


@pytest.mark.usefixtures("env")
def test_a_failing_webhook_is_retried_reported_and_not_marked_sent(
    example: Path,
    secure: Server,  # noqa: F811
    receiver: Receiver,  # noqa: F811
) -> None:
    plan, tmp_path = example, example.parent
    receiver.always = 503
    config = settings(tmp_path, secure, receiver, retries=2)
    kept = tmp_path / "kept.md"
    result = runner.invoke(
        app, ["notify", str(plan), "--config", str(config), "-n", "0", "-o", str(kept)]
    )
    assert result.exit_code == EXIT_UNDELIVERED
    assert len(receiver.requests) == 3  # the first try and two retries
    assert "FAILED: webhook" in result.stderr
    assert "503" in result.stderr
    assert TOKEN not in result.output
    assert kept.read_text().startswith("# Basket mobile app v1.0 launch")
    state = json.loads((tmp_path / "app.notify.json").read_text())
    [targets] = state["sent"].values()
    assert targets == [t for t in targets if t.startswith("smtp")]  # only the mail went out


ALERTS = """\
project: {name: Alerts, start: 2027-01-04}
tasks:
  - {id: a, name: A, duration: 5d}
  - {id: done, name: Done, milestone: true, after: [a], deadline: 2027-01-12}
"""
HIGH_RISK = """\
risks:
  - {id: outage, title: Data centre outage, probability: 0.8,
     impact: {schedule: [{task: a, delay: 30d}]}}
"""


@pytest.mark.usefixtures("env")
def test_alerts_are_sent_once_and_resent_only_where_they_failed(
    tmp_path: Path,
    secure: Server,  # noqa: F811
    receiver: Receiver,  # noqa: F811
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(ALERTS)
    config = settings(tmp_path, secure, receiver)
    args = ["notify", str(plan), "--alerts", "--config", str(config), "-n", "0"]
    args += ["--to", "sponsor@example.com"]
    quiet = runner.invoke(app, args)
    assert quiet.exit_code == 0, quiet.output
    assert "Nothing new to alert on." in quiet.stdout
    assert secure.recorder.envelopes == []
    assert receiver.requests == []

    # a high risk is raised and the milestone slips past its deadline; chat is down
    plan.write_text(ALERTS.replace("duration: 5d", "duration: 8d") + HIGH_RISK)
    receiver.always = 500
    failed = runner.invoke(app, args)
    assert failed.exit_code == EXIT_UNDELIVERED
    assert len(secure.recorder.envelopes) == 1
    mail = email.message_from_bytes(
        secure.recorder.envelopes[0].content, policy=email.policy.default
    )
    text = mail.get_body().get_content()
    assert "High risk raised: outage" in text
    assert "slipped from 2027-01-08 to 2027-01-13, past its deadline 2027-01-12" in text

    # chat is back: only the webhook gets the alerts, the mail is not sent twice
    receiver.always = None
    retried = runner.invoke(app, args)
    assert retried.exit_code == 0, retried.output
    assert len(secure.recorder.envelopes) == 1
    assert "High risk raised: outage" in receiver.requests[-1][2]["blocks"][1]["text"]["text"]
    again = runner.invoke(app, args)
    assert "Nothing new to alert on." in again.stdout


def test_without_settings_it_says_what_to_configure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TECHPM_SMTP_HOST", "TECHPM_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    plan = tmp_path / "plan.yaml"
    plan.write_text(ALERTS)
    result = runner.invoke(app, ["notify", str(plan)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "TECHPM_SMTP_HOST" in result.stderr
