"""Leveling bounds its search by a makespan every feasible plan reaches; a capacity change
that lies before the work (here a vacation, seen from the leveling origin) must not shrink
that bound below the work itself (found by a hypothesis property)."""

from __future__ import annotations

from pathlib import Path

import pytest

from techpm.scheduling.feasibility import check
from techpm.services.planning import schedule_plan

PLAN = """\
project: {name: Staffed, start: 2027-01-04}
resources:
  - {id: r0, name: R0, vacations: [2027-01-12]}
tasks:
  - {id: t0, name: T0, duration: 2d, assign: [{resource: r0}]}
  - {id: t1, name: T1, duration: 1d, assign: [{resource: r0}]}
  - {id: t2, name: T2, duration: 1d, after: [t1]}
  - {id: t3, name: T3, milestone: true, after: [{task: t0, type: SS}]}
"""


@pytest.mark.parametrize("engine", ["heuristic", "cpsat"])
def test_a_vacation_after_the_work_does_not_make_it_infeasible(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    result = schedule_plan(path, level=True, engine=engine, time_limit=1.0)  # type: ignore[arg-type]
    # r0 does t0 (Mon-Tue) and t1 (Wed) one after the other: three working days
    assert result.finish.isoformat() == "2027-01-06T17:00:00"
    assert check(result) == []
