"""What changed since the previous report: slips, new and finished work, risks."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from techpm.evm.baseline import snapshot
from techpm.reporting.changes import changes_since
from techpm.services.planning import schedule_plan

BEFORE = """\
project: {name: P, start: 2027-01-04}
tasks:
  - {id: a, name: A, duration: 5d}
  - {id: b, name: B, duration: 5d, after: [a]}
  - {id: c, name: C, duration: 2d}
  - {id: done, name: Done, milestone: true, after: [b]}
risks:
  - {id: r1, title: Vendor late, probability: 0.3, impact: {cost: 100}}
  - {id: r2, title: Audit gaps, probability: 0.5, impact: {cost: 100}}
"""

# a finished on time, b takes 3 days longer (b and the milestone slip by 3 working days),
# c was dropped, d is new; r1 closed, r3 raised, r2 stays open
AFTER = """\
project: {name: P, start: 2027-01-04}
tasks:
  - {id: a, name: A, duration: 5d, actual_start: 2027-01-04, actual_finish: 2027-01-08}
  - {id: b, name: B, duration: 8d, after: [a]}
  - {id: d, name: D, duration: 1d}
  - {id: done, name: Done, milestone: true, after: [b]}
risks:
  - {id: r1, title: Vendor late, probability: 0.3, impact: {cost: 100}, status: closed}
  - {id: r2, title: Audit gaps, probability: 0.5, impact: {cost: 100}}
  - {id: r3, title: Key hire leaves, probability: 0.2, impact: {cost: 100}}
"""


def test_changes_since_snapshot(tmp_path: Path) -> None:
    before, after = tmp_path / "before.yaml", tmp_path / "after.yaml"
    before.write_text(BEFORE)
    after.write_text(AFTER)
    previous = snapshot(schedule_plan(before), "report", datetime(2027, 1, 4))
    changes = changes_since(previous, schedule_plan(after))
    assert [(v.task_id, v.finish_days) for v in changes.slipped] == [("b", 3.0), ("done", 3.0)]
    assert changes.ahead == ()
    assert changes.added == ("d",)
    assert changes.removed == ("c",)
    assert changes.finished == ("a",)
    assert changes.risks_raised == ("r3",)
    assert changes.risks_closed == ("r1",)


def test_no_change_against_itself(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(AFTER)
    schedule = schedule_plan(path)
    changes = changes_since(snapshot(schedule, "report", datetime(2027, 1, 4)), schedule)
    assert changes.slipped == changes.ahead == ()
    assert changes.added == changes.removed == changes.finished == ()
    assert changes.risks_raised == changes.risks_closed == ()
