"""The same plan gives the same leveled schedule on every run, however fast the machine:
the search is bounded by work, not by the wall clock."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from techpm.scheduling.assignment import fill_needs
from techpm.scheduling.leveling import level_heuristic
from techpm.scheduling.rcpsp import RcpspProblem
from techpm.scheduling.resource_problem import build_leveling_input
from techpm.services.planning import schedule_plan

EXAMPLES = Path(__file__).parents[3] / "examples"
PLAN = EXAMPLES / "mobile-app-launch.yaml"  # 39 tasks, two calendars, people over-booked


def _problem() -> RcpspProblem:
    unleveled = schedule_plan(PLAN, level=False)
    bookings, _ = fill_needs(unleveled)
    return build_leveling_input(unleveled, bookings).rcpsp


def _clock(step: float) -> Callable[[], float]:
    """A clock that moves `step` seconds each time it is read: a slow or a fast machine."""
    now = [0.0]

    def read() -> float:
        now[0] += step
        return now[0]

    return read


def test_the_heuristic_does_not_depend_on_the_clock() -> None:
    problem = _problem()
    # the grid problem of this plan is not solved to its bound in a few schedules, so a
    # search cut by the clock stops at different places on a slow and on a fast machine
    slow = level_heuristic(problem, time_limit=1.0, rng=random.Random(0), clock=_clock(0.05))
    fast = level_heuristic(problem, time_limit=1.0, rng=random.Random(0), clock=_clock(0.002))
    assert slow.starts == fast.starts
    assert slow.schedules == fast.schedules


@pytest.mark.parametrize("engine", ["heuristic", "cpsat"])
def test_two_runs_give_the_same_leveled_schedule(engine: str) -> None:
    first = schedule_plan(PLAN, level=True, engine=engine, time_limit=1.0)  # type: ignore[arg-type]
    second = schedule_plan(PLAN, level=True, engine=engine, time_limit=1.0)  # type: ignore[arg-type]
    assert first.early_start_at == second.early_start_at
    assert first.early_finish_at == second.early_finish_at
    assert first.late_start_at == second.late_start_at
    assert first.assignments == second.assignments
    assert first.leveling is not None
    assert second.leveling is not None
    assert first.leveling.makespan_minutes == second.leveling.makespan_minutes
