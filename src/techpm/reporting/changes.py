"""What changed since the previous report: from its stored snapshot to the current plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from techpm.evm.baseline import Variance, snapshot, variance
from techpm.scheduling.result import Schedule


@dataclass(frozen=True)
class Changes:
    slipped: tuple[Variance, ...]  # finish later than in the snapshot
    ahead: tuple[Variance, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    finished: tuple[str, ...]  # finished since the snapshot
    risks_raised: tuple[str, ...]  # new, or open again
    risks_closed: tuple[str, ...]  # closed, occurred or gone


def changes_since(
    previous: dict[str, Any], schedule: Schedule, now: dict[str, Any] | None = None
) -> Changes:
    """The same comparison as a baseline's variance, plus progress and the risk register.
    `now`: the schedule's own snapshot, when the caller already has it."""
    now = now or snapshot(schedule, "current", datetime.min)
    rows = variance(schedule, previous, now)
    then_tasks: dict[str, Any] = previous["tasks"]
    then_risks: dict[str, Any] = previous.get("risks", {})
    now_risks: dict[str, Any] = now["risks"]

    def is_open(risks: dict[str, Any], rid: str) -> bool:
        return rid in risks and risks[rid]["status"] == "open"

    return Changes(
        slipped=tuple(v for v in rows if v.status == "slipped"),
        ahead=tuple(v for v in rows if v.status == "ahead"),
        added=tuple(v.task_id for v in rows if v.status == "added"),
        removed=tuple(v.task_id for v in rows if v.status == "removed"),
        finished=tuple(
            tid
            for tid, row in now["tasks"].items()
            if row["finished"] and not then_tasks.get(tid, {}).get("finished", False)
        ),
        risks_raised=tuple(
            rid for rid in now_risks if is_open(now_risks, rid) and not is_open(then_risks, rid)
        ),
        risks_closed=tuple(
            rid for rid in then_risks if is_open(then_risks, rid) and not is_open(now_risks, rid)
        ),
    )
