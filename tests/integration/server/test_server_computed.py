"""The computed routes of a stored project give what the CLI gives for the plan file it came
from: schedule, explain, workload, budget, EVM and forecast as `--format json` prints them,
the status report as `techpm report` writes it. A second read of an unchanged project comes
from the store of computed results; a write makes the next read compute again."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.persistence.database import session_factory
from techpm.persistence.reading import find_project
from techpm.persistence.rows import BaselineRow
from techpm.persistence.rows.server import ComputedResultRow
from techpm.services.report_files import write_report
from techpm.services.status_reporting import build_report
from tests.integration.server.conftest import EXAMPLES, Team

ATLAS = "Atlas - data center exit to AWS"  # the name of examples/cloud-migration.yaml
BASE = "/api/v1/projects/PAY"
CLOCK = datetime(2027, 3, 22, 8, 30, tzinfo=UTC)
runner = CliRunner()


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    copy = tmp_path / "cloud-migration.yaml"
    shutil.copy(EXAMPLES / copy.name, copy)
    return copy


def cli(*args: str | Path) -> bytes:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def read(team: Team, path: str, who: str = "viewer", **params: Any) -> httpx.Response:
    return team.client.get(f"{BASE}/{path}", params=params, headers=team.as_(who))


def stored(team: Team, kind: str) -> list[tuple[int, bytes]]:
    """(project version, content) of each stored result of `kind` for PAY."""
    with session_factory(team.engine)() as session:
        query = select(ComputedResultRow.project_version, ComputedResultRow.content).where(
            ComputedResultRow.kind == kind
        )
        return [(v, c) for v, c in session.execute(query)]


def put_plan(team: Team, text: str) -> str:
    """Replace PAY's plan; the new ETag."""
    etag = read(team, "plan", "owner").headers["etag"]
    headers = {**team.as_("owner"), "If-Match": etag, "Content-Type": "application/yaml"}
    answer = team.client.put(f"{BASE}/plan", content=text.encode("utf-8"), headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.headers["etag"]


def without_seconds(content: bytes) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(content)
    if data["project"]["leveling"] is not None:
        data["project"]["leveling"].pop("seconds")  # how long this run took
    return data


def test_the_schedule_is_the_cli_json_byte_for_byte(team: Team, plan: Path) -> None:
    default = read(team, "schedule")
    assert default.status_code == 200, default.text
    assert default.headers["content-type"] == "application/json"
    assert default.content == cli("schedule", plan, "--format", "json")
    unleveled = read(team, "schedule", level="false")
    assert unleveled.content == cli("schedule", plan, "-f", "json", "--no-level")
    assert json.loads(unleveled.content)["project"]["name"] == ATLAS
    leveled = read(team, "schedule", level="true", engine="heuristic")
    expected = cli("schedule", plan, "-f", "json", "--level", "--engine", "heuristic")
    assert without_seconds(leveled.content) == without_seconds(expected)
    assert json.loads(leveled.content)["project"]["leveling"]["engine"] == "heuristic"


def test_explain_is_the_cli_json_and_task_ids_may_hold_slashes(team: Team, plan: Path) -> None:
    answer = read(team, "tasks/depmap/explain", level="false")
    assert answer.status_code == 200, answer.text
    assert answer.content == cli("explain", plan, "depmap", "--format", "json", "--no-level")
    assert json.loads(answer.content)["steps"][0]["predecessor"] == "inventory"
    slashed = re.sub(r"\binventory\b", "infra/inventory", plan.read_text(encoding="utf-8"))
    plan.write_text(slashed, encoding="utf-8")
    put_plan(team, slashed)
    nested = read(team, "tasks/infra/inventory/explain")
    assert nested.status_code == 200, nested.text
    assert nested.content == cli("explain", plan, "infra/inventory", "--format", "json")
    assert json.loads(nested.content)["task"] == "infra/inventory"


def test_workload_and_budget_are_the_cli_json(team: Team, plan: Path, tmp_path: Path) -> None:
    assert read(team, "workload").content == cli("workload", plan, "--format", "json")
    assert read(team, "budget").content == cli("budget", plan, "--format", "json")
    staffed = tmp_path / "mobile-app-launch.yaml"  # resources with rates: a real budget
    shutil.copy(EXAMPLES / staffed.name, staffed)
    put_plan(team, staffed.read_text(encoding="utf-8"))
    load = read(team, "workload", level="false")
    assert load.content == cli("workload", staffed, "-f", "json", "--no-level")
    assert len(load.json()["resources"]) > 1
    by_month = read(team, "budget", by="month", level="false")
    assert by_month.status_code == 200, by_month.text
    assert by_month.content == cli("budget", staffed, "-f", "json", "--by", "month", "--no-level")
    weekly = read(team, "budget", level="false").json()
    assert weekly == json.loads(cli("budget", staffed, "-f", "json", "--no-level"))
    assert len(weekly["periods"]) > len(by_month.json()["periods"]) > 1
    tops = {t["id"] for t in read(team, "schedule").json()["tasks"] if t["parent"] is None}
    total = sum(Decimal(v) for k, v in weekly["tasks"].items() if k in tops)  # summaries roll up
    assert Decimal(weekly["bac"]) == total > 0
    assert weekly["periods"][-1]["cumulative"] == by_month.json()["periods"][-1]["cumulative"]


def test_evm_is_the_cli_json_with_and_without_a_baseline(team: Team, plan: Path) -> None:
    answer = read(team, "evm", status_date="2027-03-19")
    assert answer.status_code == 200, answer.text
    assert answer.content == cli("evm", plan, "-f", "json", "--status-date", "2027-03-19")
    assert json.loads(answer.content)["baseline"] is None
    cli("baseline", plan, "--name", "v1", "--no-level")
    snapshot = json.loads(plan.with_name(f"{plan.stem}.baseline.v1.json").read_text())
    with session_factory(team.engine)() as session:
        pay = find_project(session, "PAY")
        taken = datetime.fromisoformat(snapshot["taken_at"]).replace(tzinfo=UTC)
        session.add(BaselineRow(project_id=pay.id, name="v1", taken_at=taken, snapshot=snapshot))
        session.commit()
    against = read(team, "evm", status_date="2027-03-19", baseline="v1")
    args = ("evm", plan, "-f", "json", "--status-date", "2027-03-19", "--baseline", "v1")
    assert against.content == cli(*args)
    assert json.loads(against.content)["baseline"] == "v1"
    missing = read(team, "evm", status_date="2027-03-19", baseline="v9")
    assert missing.status_code == 404
    assert missing.json()["code"] == "baseline.not_found"


def test_the_forecast_is_the_cli_json_but_for_the_name_of_its_source(
    team: Team, tmp_path: Path
) -> None:
    app_plan = tmp_path / "mobile-app-launch.yaml"
    shutil.copy(EXAMPLES / app_plan.name, app_plan)
    put_plan(team, app_plan.read_text(encoding="utf-8"))
    answer = read(team, "forecast", seed=7, iterations=500, milestones="true", by="2027-05-03")
    assert answer.status_code == 200, answer.text
    args = ("forecast", app_plan, "-f", "json", "--seed", "7", "-n", "500", "--milestones")
    expected = json.loads(cli(*args, "--by", "2027-05-03"))
    got = json.loads(answer.content)
    assert got["history"].pop("source") == "project PAY"  # the CLI names its file
    assert expected["history"].pop("source") == str(app_plan)
    assert got == expected
    assert got["how_many"] is not None
    assert got["milestones"]
    items = json.loads(read(team, "forecast", seed=7, iterations=500, items=3).content)
    assert items["items"] == 3
    assert items["when"] != got["when"]


def test_a_plan_with_nothing_finished_gets_the_cli_code(team: Team, plan: Path) -> None:
    answer = read(team, "forecast")
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "history.no_finished"
    result = runner.invoke(app, ["forecast", str(plan), "-f", "json"])
    assert result.exit_code != 0
    assert "history.no_finished" in result.output


@pytest.mark.parametrize(("fmt", "media"), [("md", "text/markdown"), ("html", "text/html")])
def test_the_report_is_the_file_the_cli_writes(
    team: Team, plan: Path, fmt: str, media: str
) -> None:
    team.client.app.state.context.clock = lambda: CLOCK  # type: ignore[attr-defined]
    answer = read(team, "report", format=fmt, seed=11, iterations=300)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media
    status, _ = build_report(plan, seed=11, iterations=300, now=CLOCK)
    write_report(status, plan.with_name(f"status.{fmt}"))
    assert answer.content == plan.with_name(f"status.{fmt}").read_bytes()
    assert ATLAS in answer.text
    assert CLOCK.date().isoformat() in answer.text


def test_the_report_compares_with_the_newest_baseline_as_the_cli_does(
    team: Team, plan: Path
) -> None:
    team.client.app.state.context.clock = lambda: CLOCK  # type: ignore[attr-defined]
    cli("baseline", plan, "--name", "v1", "--no-level")
    snapshot = json.loads(plan.with_name(f"{plan.stem}.baseline.v1.json").read_text())
    with session_factory(team.engine)() as session:
        pay = find_project(session, "PAY")
        taken = datetime.fromisoformat(snapshot["taken_at"]).replace(tzinfo=UTC)
        session.add(BaselineRow(project_id=pay.id, name="v1", taken_at=taken, snapshot=snapshot))
        session.commit()
    answer = read(team, "report", format="md", seed=3, iterations=200)
    status, _ = build_report(plan, seed=3, iterations=200, now=CLOCK)
    assert status.baseline == "v1"
    write_report(status, plan.with_name("status.md"))
    assert answer.content == plan.with_name("status.md").read_bytes()
    assert "'v1'" in answer.text


def test_the_pdf_report_holds_the_project_name(team: Team, tmp_path: Path) -> None:
    answer = read(team, "report", format="pdf", iterations=100, seed=1)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    pdf = tmp_path / "status.pdf"
    pdf.write_bytes(answer.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert ATLAS in " ".join(text.split())


def test_a_second_read_comes_from_the_store_until_the_plan_changes(team: Team, plan: Path) -> None:
    first = read(team, "schedule", level="false")
    version = int(first.headers["etag"].strip('"'))
    assert stored(team, "schedule") == [(version, first.content)]
    with session_factory(team.engine)() as session:  # mark the stored copy
        session.execute(update(ComputedResultRow).values(content=b'{"from": "the store"}'))
        session.commit()
    again = read(team, "schedule", level="false")
    assert again.json() == {"from": "the store"}
    assert len(stored(team, "schedule")) == 1
    changed = plan.read_text(encoding="utf-8").replace("duration: 15d", "duration: 25d", 1)
    assert changed != plan.read_text(encoding="utf-8")
    plan.write_text(changed, encoding="utf-8")
    etag = put_plan(team, changed)
    after = read(team, "schedule", level="false")
    assert after.headers["etag"] == etag != first.headers["etag"]
    assert after.content == cli("schedule", plan, "-f", "json", "--no-level")
    tasks = {t["id"]: t for t in after.json()["tasks"]}
    before = {t["id"]: t for t in first.json()["tasks"]}
    assert tasks["inventory"]["duration"] == 25
    assert before["inventory"]["duration"] == 15
    assert tasks["inventory"]["finish"] > before["inventory"]["finish"]
    assert [v for v, _ in stored(team, "schedule")] == [int(etag.strip('"'))]  # old one gone


def test_each_option_is_stored_on_its_own(team: Team) -> None:
    read(team, "budget", by="week")
    read(team, "budget", by="month")
    read(team, "budget", by="week")
    with session_factory(team.engine)() as session:
        count = session.scalar(select(func.count()).where(ComputedResultRow.kind == "budget"))
    assert count == 2


def test_bad_options_and_unknown_tasks_are_problems_with_codes(team: Team) -> None:
    cases = [
        ("schedule", {"engine": "nonsense", "level": "true"}, 422, "schedule.unknown_engine"),
        ("workload", {"engine": "simplex"}, 422, "schedule.unknown_engine"),
        ("tasks/no-such-task/explain", {}, 404, "task.not_found"),
        ("tasks/a/b/explain", {}, 404, "task.not_found"),
        ("budget", {"by": "year"}, 422, "budget.bad_period"),
        ("report", {"format": "docx"}, 422, "report.format"),
        ("report", {"audience": "board"}, 422, "report.bad_audience"),
        ("forecast", {"window": 10, "since": "2027-01-01"}, 422, "forecast.window_and_since"),
        ("evm", {"status_date": "yesterday"}, 422, None),
    ]
    for path, params, status, code in cases:
        answer = read(team, path, **params)
        assert answer.status_code == status, (path, params, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        if code is not None:
            assert answer.json()["code"] == code, (path, answer.json())
    assert stored(team, "schedule") == []  # nothing is stored for a bad request


def test_the_version_is_the_etag_and_if_none_match_gets_304(team: Team) -> None:
    report = {"format": "md", "iterations": 50}
    for path, params in [("schedule", {}), ("tasks/kickoff/explain", {}), ("report", report)]:
        first = read(team, path, **params)
        assert first.status_code == 200, (path, first.text)
        etag = first.headers["etag"]
        assert re.fullmatch(r'"\d+"', etag)
        headers = {**team.as_("viewer"), "If-None-Match": etag}
        url = f"{BASE}/{path}"
        again = team.client.get(url, params=params, headers=headers)
        assert again.status_code == 304, path
        assert again.headers["etag"] == etag
        assert again.content == b""
        stale = team.client.get(url, params=params, headers={**headers, "If-None-Match": '"0"'})
        assert stale.status_code == 200


def test_only_members_read_computed_results(team: Team) -> None:
    assert read(team, "schedule", "viewer").status_code == 200
    outsider = read(team, "schedule", "outsider")
    assert outsider.status_code == 404
    assert outsider.json()["code"] == "project.not_found"
    assert team.client.get(f"{BASE}/schedule").status_code == 401
