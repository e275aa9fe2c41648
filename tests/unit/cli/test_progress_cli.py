"""`techpm progress`: a status sheet into the plan, comments kept; bad rows change nothing."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.cli.output import EXIT_INVALID_INPUT

runner = CliRunner()

PLAN = """\
# The checkout plan
project: {name: Checkout, start: 2027-01-04}
tasks:
  - {id: a, name: A, duration: 5d}   # first
  - id: b
    name: B   # second
    duration: 3d
    after: [a]
"""
SHEET = (
    "task,actual_start,actual_finish,percent_complete,actual_cost\n"
    "a,2027-01-04,2027-01-08,100,5000\n"
    "b,2027-01-11,,50,900\n"
)


def test_progress_is_written_back(tmp_path: Path) -> None:
    plan, sheet = tmp_path / "plan.yaml", tmp_path / "status.csv"
    plan.write_text(PLAN)
    sheet.write_text(SHEET)
    args = ["progress", str(plan), str(sheet), "--status-date", "2027-01-12"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = plan.read_text()
    assert text.startswith("# The checkout plan\n")
    assert "# first" in text
    assert "# second" in text
    assert "status_date: 2027-01-12" in text
    assert "actual_cost: 900" in text
    # b has half of its 3 days left after the status date (end of Tue 12): Wed 13 to Thu 14
    tasks = {
        t["id"]: t
        for t in json.loads(runner.invoke(app, ["schedule", str(plan), "-f", "json"]).stdout)[
            "tasks"
        ]
    }
    assert tasks["b"]["finish"] == "2027-01-14T13:00:00"
    assert tasks["a"]["percent_complete"] == 100


def test_bad_rows_leave_the_plan_alone(tmp_path: Path) -> None:
    plan, sheet = tmp_path / "plan.yaml", tmp_path / "status.csv"
    plan.write_text(PLAN)
    sheet.write_text(
        "task,actual_start,actual_finish,percent_complete\n"
        "zz,2027-01-04,,10\n"
        "b,2027-01-12,2027-01-11,150\n"
    )
    result = runner.invoke(app, ["progress", str(plan), str(sheet)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert f"{sheet}:2: error progress.unknown_task" in result.stderr
    assert f"{sheet}:3: error progress.bad_value" in result.stderr
    assert f"{sheet}:3: error progress.finish_before_start" in result.stderr
    assert plan.read_text() == PLAN
