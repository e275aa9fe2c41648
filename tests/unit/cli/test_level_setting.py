"""`project: {level: true}` makes every command work on the leveled schedule; `--level` and
`--no-level` override it per command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app

runner = CliRunner()

# Ana (100/h, 8h days) has a 5d and a 3d task the network runs at once from Mon 2027-01-04.
# Unleveled both start Mon 01-04 and the plan ends Fri 01-08 with Ana at 160 % that week.
# Leveled one follows the other: 8 working days, finish Wed 01-13 17:00. The cost is the
# same 64h x 100 = 6,400 either way; by week it is 6,400 | 0 unleveled and 4,000 (5 days)
# | 2,400 (3 days) leveled. Planned value as of Wed 01-06: unleveled a 3/5 x 4,000 + b
# 2,400 = 4,800; leveled 3 of the 8 sequential days x 800 = 2,400.
PLAN = """\
project: {name: Levels, start: 2027-01-04, level: true}
calendars:
  standard: {workweek: [mon, tue, wed, thu, fri], hours_per_day: 8}
resources:
  - {id: ana, name: Ana, rate: 100/h}
tasks:
  - {id: a, name: A, duration: 5d, assign: [{resource: ana}]}
  - {id: b, name: B, duration: 3d, assign: [{resource: ana}]}
  - {id: done, name: Done, milestone: true, after: [a, b]}
"""
LEVELED = "2027-01-13T17:00:00"
NETWORK = "2027-01-08T17:00:00"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "levels.yaml"
    path.write_text(PLAN)
    return path


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _json(*args: str) -> Any:
    return json.loads(_run(*args, "-f", "json"))


def test_schedule_follows_the_plan_and_the_flags(plan: Path) -> None:
    assert _json("schedule", str(plan))["project"]["finish"] == LEVELED
    assert _json("schedule", str(plan), "--level")["project"]["finish"] == LEVELED
    unleveled = _json("schedule", str(plan), "--no-level")
    assert unleveled["project"]["finish"] == NETWORK
    assert unleveled["project"]["leveling"] is None


def test_baseline_takes_the_leveled_dates(plan: Path) -> None:
    _run("baseline", str(plan), "--name", "v1")
    saved = json.loads((plan.parent / "levels.baseline.v1.json").read_text())
    leveled = {t["id"]: t for t in _json("schedule", str(plan), "--level")["tasks"]}
    assert saved["project"]["finish"] == LEVELED
    assert saved["project"]["leveled"] is True
    for task_id, row in saved["tasks"].items():
        assert (row["start"], row["finish"]) == (
            leveled[task_id]["start"],
            leveled[task_id]["finish"],
        )
    _run("baseline", str(plan), "--name", "cpm", "--no-level")
    cpm = json.loads((plan.parent / "levels.baseline.cpm.json").read_text())
    assert cpm["project"]["finish"] == NETWORK
    assert cpm["project"]["leveled"] is False
    # the same plan, leveled again: nothing moved against the leveled baseline
    same = _json("variance", str(plan), "--baseline", "v1")["tasks"]
    assert {t["status"] for t in same} == {"same"}
    ahead = {
        t["id"]: t for t in _json("variance", str(plan), "--baseline", "v1", "--no-level")["tasks"]
    }
    assert ahead["done"]["status"] == "ahead"
    assert ahead["done"]["finish_variance"] == -3


def test_workload_of_a_leveling_plan_has_nobody_over(plan: Path) -> None:
    loads = _json("workload", str(plan))["resources"]
    assert not any(w["over_allocated"] for r in loads for w in r["weeks"])
    assert "Nobody is over-allocated." in _run("workload", str(plan))
    over = _json("workload", str(plan), "--no-level")["resources"]
    assert over[0]["weeks"][0]["allocation"] == 1.6  # 64h booked of 40h
    assert over[0]["weeks"][0]["over_allocated"]


def test_budget_and_evm_follow_the_leveled_dates(plan: Path) -> None:
    leveled = _json("budget", str(plan))
    assert leveled["bac"] == "6400.00"
    assert [p["planned_value"] for p in leveled["periods"]] == ["4000.00", "2400.00"]
    unleveled = _json("budget", str(plan), "--no-level")
    assert [p["planned_value"] for p in unleveled["periods"]] == ["6400.00"]
    assert _json("evm", str(plan), "--status-date", "2027-01-06")["pv"] == 2400
    assert _json("evm", str(plan), "--status-date", "2027-01-06", "--no-level")["pv"] == 4800


def test_simulation_keeps_the_leveled_order(plan: Path) -> None:
    # no estimates: every run gives the deterministic finish of the schedule it follows
    finish = _json("simulate", str(plan), "-n", "50", "--seed", "1")["finish"]
    assert set(finish.values()) == {"2027-01-13"}
    finish = _json("simulate", str(plan), "-n", "50", "--seed", "1", "--no-level")["finish"]
    assert set(finish.values()) == {"2027-01-08"}


def test_report_of_a_leveling_plan_shows_nobody_over_booked(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "status.md"
    _run("report", str(plan), "-o", str(out), "-n", "0", "--no-snapshot")
    text = out.read_text()
    assert "Nobody is booked over capacity." in text
    assert "2027-01-13" in text
    _run("report", str(plan), "-o", str(out), "-n", "0", "--no-snapshot", "--no-level")
    assert "Nobody is booked over capacity." not in out.read_text()


def test_the_level_key_round_trips_through_the_plan_writer(plan: Path, tmp_path: Path) -> None:
    from techpm.interop.planfile.dump.plan import plan_document
    from techpm.services.planning import load_plan

    project = load_plan(plan)
    assert project.info.level is True
    assert plan_document(project)["project"]["level"] is True


def test_simulation_keeps_a_leveling_delay_for_a_vacation(tmp_path: Path) -> None:
    # Ana is away 01-11..01-15. Leveled: a Mon 01-04 - Fri 01-08, then b cannot start before
    # she is back: Mon 01-18 - Wed 01-20. In the simulation b starts no earlier than that.
    plan = tmp_path / "away.yaml"
    plan.write_text(
        PLAN.replace(
            "{id: ana, name: Ana, rate: 100/h}",
            "{id: ana, name: Ana, rate: 100/h, vacations: [[2027-01-11, 2027-01-15]]}",
        )
    )
    assert _json("schedule", str(plan))["project"]["finish"] == "2027-01-20T17:00:00"
    finish = _json("simulate", str(plan), "-n", "20", "--seed", "1")["finish"]
    assert set(finish.values()) == {"2027-01-20"}
