"""The simulated cost counts everything the budget counts, plus what the risks cost."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techpm.services.budgeting import plan_budget
from techpm.services.simulating import simulate_plan

# Ana at 100/h on a 5-day task: 5 d x 8 h x 100 = 4,000 of labour; a 5,000 fixed cost on
# B; two devices at 5,000 each bought for C: 10,000. The budget at completion is 19,000.
PLAN = """\
project: {name: Costs, start: 2027-01-04}
resources:
  - {id: ana, name: Ana, rate: 100/h}
procurement:
  - {id: dev, name: Devices, quantity: 2, unit_cost: 5000, lead_time_days: 3}
tasks:
  - {id: a, name: A, duration: 5d, assign: [{resource: ana}]}
  - {id: b, name: B, duration: 2d, fixed_cost: 5000, after: [a]}
  - {id: c, name: C, duration: 1d, needs_items: [dev], after: [b]}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    return path


def test_fixed_costs_and_procurement_are_in_the_simulated_cost(tmp_path: Path) -> None:
    path = _write(tmp_path, PLAN)
    assert plan_budget(path).bac == Decimal("19000.00")
    summary = simulate_plan(path, iterations=200, seed=1)
    assert summary.cost == dict.fromkeys(summary.cost, pytest.approx(19_000, abs=0.005))


def test_risk_costs_come_on_top_of_the_budget(tmp_path: Path) -> None:
    # a risk of 0.3 costing 1,000 and delaying A by 1 day (8 h of Ana: 800 more labour):
    # an iteration costs 19,000 or 19,000 + 1,000 + 800 = 20,800
    risks = (
        "risks:\n  - {id: r, title: R, probability: 0.3,"
        " impact: {schedule: [{task: a, delay: 1d}], cost: 1000}}\n"
    )
    summary = simulate_plan(_write(tmp_path, PLAN + risks), iterations=2_000, seed=3)
    values = {round(v, 2) for v in summary.cost.values()}
    assert values == {19_000.0, 20_800.0}
    assert summary.cost["p10"] == pytest.approx(19_000)
    assert summary.cost["p95"] == pytest.approx(20_800)


def test_a_rate_change_inside_a_task_is_priced_as_the_budget_prices_it(tmp_path: Path) -> None:
    # Ana's rate goes from 100/h to 150/h on Wednesday 2027-01-06: A costs 2 d x 800 +
    # 3 d x 1,200 = 5,200, so the budget is 5,200 + 5,000 + 10,000 = 20,200
    text = PLAN.replace("rate: 100/h}", "rate: 100/h, rates: [{from: 2027-01-06, rate: 150/h}]}")
    path = _write(tmp_path, text)
    assert plan_budget(path).bac == Decimal("20200.00")
    summary = simulate_plan(path, iterations=100, seed=1)
    assert summary.cost == dict.fromkeys(summary.cost, pytest.approx(20_200, abs=0.005))


@st.composite
def _costed_plans(draw: st.DrawFn) -> str:
    """Plans with rates (hourly, daily, a rate table), fixed costs accrued every way,
    items to buy and two calendars, every estimate of zero width and no risks."""
    lines = [
        "project: {name: P, start: 2027-03-01}",
        "calendars:",
        "  standard: {workweek: [mon, tue, wed, thu, fri], hours_per_day: 8}",
        "  short: {workweek: [tue, wed, thu, sat], hours: ['08:00-12:00', '13:00-15:00']}",
        "resources:",
        "  - {id: r0, name: R0, rate: 90/h}",
        "  - {id: r1, name: R1, rate: 640/d, calendar: short}",
        "  - {id: r2, name: R2, rate: 50/h, rates: [{from: 2027-03-10, rate: 75/h}]}",
        "procurement:",
        "  - {id: i0, name: I0, quantity: 3, unit_cost: 250, lead_time_days: 4}",
        "  - {id: i1, name: I1, quantity: 1, unit_cost: 999.99, lead_time_days: 9}",
        "tasks:",
    ]
    n = draw(st.integers(1, 7))
    for j in range(n):
        hours = draw(st.sampled_from([0, 3, 8, 20, 40]))
        fields = [f"id: t{j}", f"name: T{j}"]
        if hours:
            fields.append(
                f"estimate: {{optimistic: {hours}h, likely: {hours}h, pessimistic: {hours}h}}"
            )
        else:
            fields.append("milestone: true")
        if hours and draw(st.booleans()):
            fields.append(f"assign: [{{resource: r{draw(st.integers(0, 2))}}}]")
        if draw(st.booleans()):
            fields.append("calendar: short")
        if draw(st.integers(0, 2)) == 0:
            fields.append(f"fixed_cost: {draw(st.sampled_from([100, 1234.5]))}")
            fields.append(f"accrue: {draw(st.sampled_from(['prorated', 'start', 'end']))}")
        if draw(st.integers(0, 3)) == 0:
            fields.append(f"needs_items: [i{draw(st.integers(0, 1))}]")
        preds = draw(st.sets(st.integers(0, j - 1), max_size=2)) if j else set()
        if preds:
            fields.append(f"after: [{', '.join(f't{i}' for i in sorted(preds))}]")
        lines.append(f"  - {{{', '.join(fields)}}}")
    return "\n".join(lines) + "\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_costed_plans())
def test_without_uncertainty_every_percentile_is_the_budget(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.yaml"
        path.write_text(text)
        bac = float(plan_budget(path).bac)
        summary = simulate_plan(path, iterations=20, seed=0)
    assert summary.cost == dict.fromkeys(summary.cost, pytest.approx(bac, abs=0.005))


def test_work_staffed_by_skill_is_priced_as_in_the_budget(tmp_path: Path) -> None:
    # Q needs a tester; Tess (80/h) is the only one: 3 d x 8 h x 80 = 1,920 of labour on top
    # of the 19,000
    text = (
        PLAN.replace(
            "  - {id: ana, name: Ana, rate: 100/h}\n",
            "  - {id: ana, name: Ana, rate: 100/h}\n"
            "  - {id: tess, name: Tess, rate: 80/h, skills: {testing: 2}}\n",
        )
        + "  - {id: q, name: Q, duration: 3d, needs: [{skill: testing}], after: [a]}\n"
    )
    path = _write(tmp_path, text)
    assert plan_budget(path).bac == Decimal("20920.00")
    summary = simulate_plan(path, iterations=50, seed=1)
    assert summary.cost == dict.fromkeys(summary.cost, pytest.approx(20_920, abs=0.005))
