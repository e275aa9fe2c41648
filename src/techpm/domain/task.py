"""Tasks of the work breakdown: summaries roll up, leaves take time, milestones mark a moment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from techpm.domain.estimate import ThreePoint
from techpm.domain.resource import Assignment, SkillNeed


class Accrual(StrEnum):
    """When a task's fixed cost is incurred."""

    PRORATED = "prorated"  # spread over the task's working time
    START = "start"
    END = "end"


class ConstraintType(StrEnum):
    START_NO_EARLIER_THAN = "start_no_earlier_than"
    START_NO_LATER_THAN = "start_no_later_than"
    FINISH_NO_EARLIER_THAN = "finish_no_earlier_than"
    FINISH_NO_LATER_THAN = "finish_no_later_than"
    MUST_START_ON = "must_start_on"
    MUST_FINISH_ON = "must_finish_on"

    @property
    def on_finish(self) -> bool:
        return self in (
            ConstraintType.FINISH_NO_EARLIER_THAN,
            ConstraintType.FINISH_NO_LATER_THAN,
            ConstraintType.MUST_FINISH_ON,
        )

    @property
    def pushes_early(self) -> bool:
        """Constraints that move the early dates (forward pass)."""
        return self in (
            ConstraintType.START_NO_EARLIER_THAN,
            ConstraintType.FINISH_NO_EARLIER_THAN,
            ConstraintType.MUST_START_ON,
            ConstraintType.MUST_FINISH_ON,
        )

    @property
    def limits_late(self) -> bool:
        """Constraints that cap the late dates (backward pass) and can make float negative."""
        return self in (
            ConstraintType.START_NO_LATER_THAN,
            ConstraintType.FINISH_NO_LATER_THAN,
            ConstraintType.MUST_START_ON,
            ConstraintType.MUST_FINISH_ON,
        )


# A moment in a plan: a date means the start of that day's work (for starts) or the end of
# that day's work (for finishes); a datetime is exact.
Moment = date | datetime


@dataclass(frozen=True)
class Constraint:
    type: ConstraintType
    on: Moment
    gate: bool = False  # set by procured items the task needs, not written in the plan


@dataclass(frozen=True)
class StatusChange:
    """A work item entering a workflow state (from a tracker's history)."""

    at: datetime
    to: str
    from_: str | None = None


@dataclass(frozen=True)
class Task:
    """A WBS element. `parent` is None at the top level; children are found through the project."""

    id: str
    name: str
    parent: str | None = None
    duration_minutes: int | None = None
    milestone: bool = False
    calendar: str | None = None
    constraints: tuple[Constraint, ...] = ()
    deadline: Moment | None = None
    actual_start: Moment | None = None
    actual_finish: Moment | None = None
    percent_complete: float = 0.0
    remaining_minutes: int | None = None  # work left as of the status date, if estimated
    priority: int = 500
    owner: str | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    assignments: tuple[Assignment, ...] = ()
    needs: tuple[SkillNeed, ...] = ()
    effort_minutes: int | None = None  # work; set for effort-driven tasks
    estimate: ThreePoint | None = None  # minutes of work: optimistic, likely, pessimistic
    fixed_cost: Decimal | None = None  # cost independent of work (a license, a machine)
    accrue: Accrual = Accrual.PRORATED
    cost_account: str | None = None  # category of the task's fixed cost (default "fixed")
    actual_cost: Decimal | None = None  # spent so far, as of the status date
    needs_items: tuple[str, ...] = ()  # procured items the task cannot start without
    control_account: str | None = None  # where its earned value is managed (inherited)
    refs: dict[str, str] = field(
        default_factory=dict, compare=False, hash=False
    )  # other tools' ids
    issue_type: str | None = None  # from a tracker: epic, story, bug ...
    points: float | None = None  # story points
    status: str | None = None  # workflow state in a tracker
    sprint: str | None = None
    history: tuple[StatusChange, ...] = ()  # workflow state changes, oldest first
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
