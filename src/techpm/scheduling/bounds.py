"""Date constraints, deadlines and actuals of each task as bounds on its working offsets."""

from __future__ import annotations

from dataclasses import dataclass

from techpm.domain.task import ConstraintType
from techpm.scheduling.problem import ScheduleProblem
from techpm.scheduling.result import DRIVER_ACTUAL, DRIVER_STATUS, constraint_driver

NONE_LOW = -(1 << 60)  # no lower bound / no fixed date
NONE_HIGH = 1 << 60  # no upper bound

_FIXING = (ConstraintType.MUST_START_ON, ConstraintType.MUST_FINISH_ON)


@dataclass(frozen=True)
class TaskBounds:
    """Per task, in working minutes of the task's own calendar.

    `low`: earliest start the constraints allow; `fixed`: a start that is imposed (must start
    or finish on, actual start), whatever the links say; `high`: latest finish; `actual_finish`:
    a recorded finish. Each driver code says which constraint set the bound.
    """

    low: list[int]
    low_driver: list[int]
    fixed: list[int]
    fixed_driver: list[int]
    high: list[int]
    actual_finish: list[int]
    started: list[bool]
    any_early: bool  # some task has a low or fixed bound or an actual finish


def task_bounds(problem: ScheduleProblem) -> TaskBounds:
    n = problem.size
    low = [NONE_LOW] * n
    low_driver = [0] * n
    fixed = [NONE_LOW] * n
    fixed_driver = [0] * n
    high = [NONE_HIGH] * n
    actual_finish = [NONE_LOW] * n
    started = [False] * n
    any_early = False
    tls = problem.timelines
    for j in range(n):
        constraints = problem.constraints[j]
        deadline = problem.deadline_minute[j]
        actual_start = problem.actual_start_minute[j]
        finish = problem.actual_finish_minute[j]
        if problem.status_minute is not None and not problem.complete[j]:
            tl = tls[problem.calendar_idx[j]]
            status_w = tl.to_work(problem.status_minute)
            if actual_start is None:
                low[j], low_driver[j] = status_w, DRIVER_STATUS
                any_early = True
            elif finish is None and problem.remaining and problem.remaining[j] is not None:
                # under way: what is left runs from the status date on
                left = problem.remaining[j] or 0
                started_w = tl.to_work(actual_start)
                actual_finish[j] = max(status_w, started_w) + left
        if not constraints and deadline is None and actual_start is None and finish is None:
            continue
        tl = tls[problem.calendar_idx[j]]
        dur = problem.duration[j]
        for position, constraint in enumerate(constraints):
            ctype = constraint.type
            on = tl.to_work(problem.moment_minute(constraint.on, finish=ctype.on_finish))
            start_bound = on - dur if ctype.on_finish else on
            if ctype in _FIXING:
                fixed[j], fixed_driver[j] = start_bound, constraint_driver(position)
            elif ctype.pushes_early and start_bound > low[j]:
                low[j], low_driver[j] = start_bound, constraint_driver(position)
            if ctype.limits_late:
                high[j] = min(high[j], on if ctype.on_finish else on + dur)
        if deadline is not None:
            high[j] = min(high[j], tl.to_work(deadline))
        if actual_start is not None:
            fixed[j], fixed_driver[j] = tl.to_work(actual_start), DRIVER_ACTUAL
            started[j] = True
        if finish is not None:
            actual_finish[j] = tl.to_work(finish)
        any_early = (
            any_early or low[j] != NONE_LOW or fixed[j] != NONE_LOW or actual_finish[j] != NONE_LOW
        )
    return TaskBounds(low, low_driver, fixed, fixed_driver, high, actual_finish, started, any_early)
