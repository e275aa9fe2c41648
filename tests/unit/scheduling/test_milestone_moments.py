"""A milestone is never shown before what it follows: when a predecessor's link starts at
the beginning of a working day, the milestone sits there too, not on the evening before."""

from __future__ import annotations

from pathlib import Path

import pytest

from techpm.services.planning import schedule_plan

CHAIN = """\
project: {name: R, start: 2027-01-04}
tasks:
  - {id: t0, name: T0, milestone: true}
  - {id: t1, name: T1, milestone: true, after: [{task: t0, type: SS, lag: 1d}]}
  - {id: t3, name: T3, milestone: true, after: [t0, t1]}
"""
SIDE = """\
project: {name: R, start: 2027-01-04}
tasks:
  - {id: t0, name: T0, duration: 1d}
  - {id: t1, name: T1, milestone: true, after: [t0]}
  - {id: t2, name: T2, milestone: true, after: [{task: t0, type: SS}, {task: t1, type: SS}]}
  - {id: t3, name: T3, milestone: true, after: [t0, t1, t2]}
"""


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        # t1 is one working day after t0's start: Tuesday 09:00; t3 follows it there
        (CHAIN, {"t0": "2027-01-04T09:00", "t1": "2027-01-05T09:00", "t3": "2027-01-05T09:00"}),
        # t1 ends Monday's work; t2 starts with it, at Tuesday 09:00, and t3 follows t2
        (SIDE, {"t1": "2027-01-04T17:00", "t2": "2027-01-05T09:00", "t3": "2027-01-05T09:00"}),
    ],
)
def test_milestones_follow_their_predecessors(
    tmp_path: Path, plan: str, expected: dict[str, str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(plan)
    result = schedule_plan(path)
    rows = {row.id: row.finish.isoformat(timespec="minutes") for row in result.rows}
    assert {k: rows[k] for k in expected} == expected
    assert result.finish.isoformat(timespec="minutes") == "2027-01-05T09:00"
