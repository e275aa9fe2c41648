"""Earned schedule per WBS branch, on the branch's own planned-value curve.

Hand computation (working days from Mon 2027-01-04; everyone at 100/d; no baseline named,
so the plan without progress is the baseline):
  api   a1 10d, days 0-10, BAC 1,000: finished on plan (actual 01-04 .. Fri 01-15).
  web   w1 10d after a1, days 10-20, BAC 1,000: due to start at day 10, nothing done.
  docs  d1 2d after w1, days 20-22, BAC 200: not due yet, nothing done.
  ops   o1 4d, days 0-4, BAC 400: 50 % done, should have finished at day 4.
Status at the end of Wed 01-20: AT = 5 + 5 + 3 = 13 working days.
  api:  EV = BAC; its PV reached 1,000 at day 10 (its planned finish) and it finished at day
        10: ES 10, AT 10 (a finished branch is timed at its finish), SPI(t) = 1.0.
  web:  EV = 0; its PV was 0 until day 10 and rises after: ES 10, SPI(t) = 10 / 13 = 0.769.
  docs: EV = 0; its PV is 0 until day 20 > AT: nothing was due, ES = AT = 13, SPI(t) = 1.0.
  ops:  EV = 200; its PV (100 a day from day 0) reached 200 at day 2: ES 2, SPI(t) = 2 / 13.
Counted over the project's horizon instead, api would show ES 22 (SPI(t) 1.69) and docs
ES 20 (SPI(t) 1.54).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.evm.earned_schedule import branch_earned_schedule
from techpm.evm.metrics import planned_at

runner = CliRunner()

PLAN = """\
project: {name: Branches, start: 2027-01-04, status_date: 2027-01-20}
resources:
  - {id: bob, name: Bob, rate: 100/d}
  - {id: ann, name: Ann, rate: 100/d}
  - {id: eve, name: Eve, rate: 100/d}
  - {id: cal, name: Cal, rate: 100/d}
tasks:
  - id: api
    name: API
    children:
      - {id: a1, name: A1, duration: 10d, assign: [{resource: bob}], actual_start: 2027-01-04,
         actual_finish: 2027-01-15, percent_complete: 100, actual_cost: 1000}
  - id: web
    name: Web
    children:
      - {id: w1, name: W1, duration: 10d, after: [a1], assign: [{resource: ann}]}
  - id: docs
    name: Docs
    children:
      - {id: d1, name: D1, duration: 2d, after: [w1], assign: [{resource: eve}]}
  - id: ops
    name: Ops
    children:
      - {id: o1, name: O1, duration: 4d, assign: [{resource: cal}], actual_start: 2027-01-04,
         percent_complete: 50, actual_cost: 300}
"""


def _wbs(tmp_path: Path, text: str = PLAN) -> dict[str, dict[str, float]]:
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["evm", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, dict[str, float]] = json.loads(result.stdout)["wbs"]
    return data


def test_each_branch_on_its_own_curve(tmp_path: Path) -> None:
    wbs = _wbs(tmp_path)
    assert (wbs["api"]["es"], wbs["api"]["spi_t"]) == (10, 1)
    assert wbs["web"]["es"] == 10
    assert wbs["web"]["spi_t"] == pytest.approx(10 / 13, abs=1e-3)
    assert (wbs["docs"]["es"], wbs["docs"]["spi_t"]) == (13, 1)
    assert wbs["ops"]["es"] == 2
    assert wbs["ops"]["spi_t"] == pytest.approx(2 / 13, abs=1e-3)


def test_a_branch_finished_late_is_behind(tmp_path: Path) -> None:
    # api finished Tue 01-19, two working days late: ES 10 (its planned finish), AT 12 (when
    # it finished, not the status date's 13)
    text = PLAN.replace("actual_finish: 2027-01-15", "actual_finish: 2027-01-19")
    wbs = _wbs(tmp_path, text)
    assert wbs["api"]["es"] == 10
    assert wbs["api"]["spi_t"] == pytest.approx(10 / 12, abs=1e-3)


def test_earned_schedule_of_a_curve() -> None:
    # PV flat at 0 until day 2, then 100 a day to 300 at day 5, flat after
    curve = [0.0, 0.0, 0.0, 100.0, 200.0, 300.0, 300.0, 300.0]
    assert branch_earned_schedule(curve, 0.0, 1.0) == 1.0  # not due yet
    assert branch_earned_schedule(curve, 0.0, 4.0) == 2.0  # due since day 2
    assert branch_earned_schedule(curve, 150.0, 4.0) == 3.5
    assert branch_earned_schedule(curve, 300.0, 7.0) == 5.0  # done: its planned finish
    assert branch_earned_schedule([0.0, 0.0], 0.0, 1.0) is None  # no budget: no measure


def test_a_project_finished_on_plan_is_on_schedule(tmp_path: Path) -> None:
    # the whole plan: a1 (days 0-10) then a2 (days 10-15), both done on plan by Fri 01-22;
    # status a week later (Fri 01-29, AT 20): ES 15 over AT 15 (the finish), SPI(t) 1.0,
    # not 15 / 20
    text = """\
project: {name: Done, start: 2027-01-04, status_date: 2027-01-29}
resources:
  - {id: bob, name: Bob, rate: 100/d}
tasks:
  - {id: a1, name: A1, duration: 10d, assign: [{resource: bob}], actual_start: 2027-01-04,
     actual_finish: 2027-01-15, percent_complete: 100}
  - {id: a2, name: A2, duration: 5d, after: [a1], assign: [{resource: bob}],
     actual_start: 2027-01-18, actual_finish: 2027-01-22, percent_complete: 100}
"""
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["evm", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["es"], data["spi_t"], data["sv_t"]) == (15, 1, 0)
    assert data["forecast_finish"] == "2027-01-22"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.0, 50.0, 100.0, 250.0]), min_size=2, max_size=30),
    st.floats(0.0, 40.0),
)
def test_on_plan_is_spi_t_one(steps: list[float], at: float) -> None:
    """For any branch curve (flat before it starts, pauses, flat after it ends): earning
    exactly what was planned by AT gives ES = AT up to the planned finish, and ES never
    passes the planned finish nor falls as EV grows."""
    curve = [0.0]
    for step in steps:
        curve.append(curve[-1] + step)
    es = branch_earned_schedule(curve, planned_at(curve, at), at)
    if curve[-1] == 0:
        assert es is None
        return
    finish = next(k for k, pv in enumerate(curve) if pv >= curve[-1])
    assert es == pytest.approx(min(at, finish), abs=1e-6)
    lower = branch_earned_schedule(curve, planned_at(curve, at) / 2, at)
    assert lower is not None
    assert lower <= es + 1e-9
