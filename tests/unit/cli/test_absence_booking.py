"""A person booked on a task while away is over-allocated, whatever the dates come from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_INFEASIBLE

runner = CliRunner()

# Mon 2027-01-04 start. Ana (vacation 01-11..01-15) is on `a`, 10d: Mon 4 - Fri 15, so the
# whole second week falls in her vacation. Bo works on a calendar with Wed 6 - Fri 8 off
# and is on `b`, 5d on the project calendar: Mon 4 - Fri 8. Nobody has two tasks at once.
# Week of 01-04: Bo is booked 5 x 8h = 40h and has Mon + Tue = 16h -> 250 %.
# Week of 01-11: Ana is booked 40h and has 0h.
PLAN = """\
project: {name: Away, start: 2027-01-04}
calendars:
  standard: {workweek: [mon, tue, wed, thu, fri], hours_per_day: 8}
  bo-cal: {base: standard, nonworking: [{from: 2027-01-06, to: 2027-01-08}]}
resources:
  - {id: ana, name: Ana, vacations: [[2027-01-11, 2027-01-15]]}
  - {id: bo, name: Bo, calendar: bo-cal}
tasks:
  - {id: a, name: A, duration: 10d, assign: [{resource: ana}]}
  - {id: b, name: B, duration: 5d, assign: [{resource: bo}]}
  - {id: c, name: C, duration: 1d, assign: [{resource: bo}], after: [b]}
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "away.yaml"
    path.write_text(PLAN)
    return path


def test_verify_reports_work_while_away(plan: Path) -> None:
    result = runner.invoke(app, ["verify", str(plan), "-f", "json"])
    assert result.exit_code == EXIT_INFEASIBLE, result.output
    data = json.loads(result.stdout)
    assert not data["feasible"]
    away = {tuple(b["subjects"]): b["message"] for b in data["breaches"]}
    assert set(away) == {("ana", "a"), ("bo", "b")}
    assert "2027-01-11 to 2027-01-15" in away[("ana", "a")]
    assert "2027-01-06 to 2027-01-08" in away[("bo", "b")]
    # c (Mon 01-11, when Bo works) is fine


def test_workload_flags_the_weeks_away(plan: Path) -> None:
    result = runner.invoke(app, ["workload", str(plan), "-f", "json"])
    assert result.exit_code == 0, result.output
    weeks = {
        r["resource"]: {w["week"]: w for w in r["weeks"]}
        for r in json.loads(result.stdout)["resources"]
    }
    assert weeks["bo"]["2027-01-04"]["allocation"] == 2.5  # 40h / 16h
    assert weeks["bo"]["2027-01-04"]["over_allocated"]
    assert weeks["bo"]["2027-01-11"]["over_allocated"] is False  # c on Mon 11: Bo works
    assert weeks["ana"]["2027-01-04"]["over_allocated"] is False
    assert weeks["ana"]["2027-01-11"]["booked_hours"] == 40
    assert weeks["ana"]["2027-01-11"]["available_hours"] == 0
    assert weeks["ana"]["2027-01-11"]["over_allocated"]
    table = runner.invoke(app, ["workload", str(plan)])
    assert "Over-allocated: ana, bo" in table.stdout


def test_schedule_warns_of_work_while_away(plan: Path) -> None:
    result = runner.invoke(app, ["schedule", str(plan), "-f", "json"])
    assert result.exit_code == 0, result.output
    found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "resource.away"]
    assert sorted(tuple(d["subjects"]) for d in found) == [("ana", "a"), ("bo", "b")]
    assert all(d["severity"] == "warning" for d in found)
    assert "resource.away" in result.stderr


def test_leveling_moves_work_out_of_absences(plan: Path) -> None:
    # leveled, a waits for Ana's return (Mon 01-18, 10d -> Fri 01-29) and b for a week Bo
    # works whole (Mon 01-11 - Fri 01-15); nothing is booked while away
    result = runner.invoke(app, ["verify", str(plan), "--level", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = runner.invoke(app, ["schedule", str(plan), "--level", "-f", "json"]).stdout
    parsed = json.loads(data)
    assert not [d for d in parsed["diagnostics"] if d["code"] == "resource.away"]
