"""Work staffed by a skill need is costed in every figure, at the rate of who fills it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app

runner = CliRunner()

# Mon 2027-01-04, 8h days. `named` (Ana, 100/h) Mon-Tue; `skill` needs one backend person
# at level 2, Mon-Wed; `lic` (a 500 licence) Thu. Over skill's dates Ana already has 16h
# booked and Bo none, so Bo (400/d = 50/h) fills the need, as leveling would choose.
#   named: 16h x 100 = 1,600   skill: 24h x 50 = 1,200   lic: 500   BAC = 3,300
# As of Wed 01-06 (end of day), named and skill are planned done: PV = 2,800.
PLAN = """\
project: {name: Costs, start: 2027-01-04}
calendars:
  standard: {workweek: [mon, tue, wed, thu, fri], hours_per_day: 8}
resources:
  - {id: ana, name: Ana, skills: {backend: 3}, rate: 100/h}
  - {id: bo, name: Bo, skills: {backend: 2}, rate: 400/d}
tasks:
  - {id: named, name: Named, duration: 2d, assign: [{resource: ana}]}
  - {id: skill, name: Skill, duration: 3d, needs: [{skill: backend, level: 2}]}
  - {id: lic, name: Licence, duration: 1d, fixed_cost: 500, after: [skill]}
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "costs.yaml"
    path.write_text(PLAN)
    return path


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_budget_prices_the_need_at_who_fills_it(plan: Path) -> None:
    data = _json("budget", str(plan), "-f", "json")
    assert data["bac"] == "3300.00"
    assert data["tasks"]["skill"] == "1200.00"
    assert data["skill_needs"] == [
        {"task": "skill", "skill": "backend", "resource": "bo", "units": 1, "cost": "1200.00"}
    ]
    table = runner.invoke(app, ["budget", str(plan)]).stdout
    assert "skill: backend filled by bo" in table


def test_leveled_and_unleveled_budgets_agree(plan: Path) -> None:
    # nothing competes once Bo takes `skill`: leveling keeps the dates and the cost
    assert _json("budget", str(plan), "-f", "json", "--level")["bac"] == "3300.00"


def test_evm_and_baseline_count_the_need(plan: Path) -> None:
    evm = _json("evm", str(plan), "--status-date", "2027-01-06", "-f", "json")
    assert evm["bac"] == 3300
    assert evm["pv"] == 2800
    result = runner.invoke(app, ["baseline", str(plan), "--name", "v1"])
    assert result.exit_code == 0, result.output
    saved = json.loads((plan.parent / "costs.baseline.v1.json").read_text())
    assert saved["project"]["bac"] == "3300.00"
    assert saved["tasks"]["skill"]["cost"] == "1200.00"
    assert saved["tasks"]["skill"]["work_hours"] == 24


def test_the_schedule_shows_who_fills_a_need(plan: Path) -> None:
    data = _json("schedule", str(plan), "-f", "json")
    tasks = {t["id"]: t for t in data["tasks"]}
    assert tasks["skill"]["assignments"] == [{"resource": "bo", "units": 1}]
    table = runner.invoke(app, ["schedule", str(plan)]).stdout
    assert "bo" in table.split("skill", 1)[1].splitlines()[0]


def test_simulated_cost_contains_the_need(plan: Path) -> None:
    # no estimates: every run costs the same; labour alone is 1,600 + 1,200 = 2,800, and
    # with the licence 3,300 (fixed costs belong to the simulated cost as well)
    cost = _json("simulate", str(plan), "-n", "50", "--seed", "1", "-f", "json")["cost"]
    assert cost["p50"] in (2800, 3300)
    assert cost["p10"] == cost["p90"]
