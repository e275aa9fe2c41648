"""Date constraints as bounds per iteration: a finish constraint moves with the duration.

`scheduling.bounds` turns a "finish no earlier than" into a start bound of the date minus
the task's duration, and a "start no later than" into a finish limit of the date plus it.
In a simulation the duration changes with every draw, so those bounds are worked out per
iteration from the drawn duration (as the deterministic passes do for that duration); the
other bounds do not depend on it and stay one column for every iteration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from techpm.domain.task import ConstraintType
from techpm.scheduling.bounds import NONE_HIGH, NONE_LOW, TaskBounds
from techpm.scheduling.problem import ScheduleProblem
from techpm.scheduling.result import DRIVER_ACTUAL, DRIVER_STATUS, constraint_driver

Array = npt.NDArray[Any]  # int64 minutes, or float offsets on one calendar
Bools = npt.NDArray[np.bool_]

_FIXING = (ConstraintType.MUST_START_ON, ConstraintType.MUST_FINISH_ON)


@dataclass(frozen=True)
class IterationBounds:
    """Tasks x iterations (or x 1 when the same for all), on each task's own calendar.

    `low_finish` / `fixed_finish`: a milestone set by that bound sits at the end of its
    day (the bound is a finish), else at the start of the next."""

    low: Array
    low_finish: Bools
    fixed: Array
    fixed_finish: Bools
    high: Array


def moves_with_duration(problem: ScheduleProblem, j: int) -> bool:
    return any(
        (c.type.on_finish and (c.type in _FIXING or c.type.pushes_early))
        or (c.type.limits_late and not c.type.on_finish)
        for c in problem.constraints[j]
    )


def _driver_finishes(problem: ScheduleProblem, bounds: TaskBounds, j: int, driver: int) -> bool:
    if driver == DRIVER_STATUS:
        return False
    if driver == DRIVER_ACTUAL:
        return bounds.actual_finish[j] != NONE_LOW
    return problem.constraints[j][constraint_driver(0) - driver].type.on_finish


class BoundsPerIteration:
    """The bounds that stay the same worked out once; `of` adds those that move."""

    def __init__(self, problem: ScheduleProblem, bounds: TaskBounds, dtype: type) -> None:
        n = problem.size
        self.problem = problem
        self.bounds = bounds
        self.low: Array = np.asarray(bounds.low, dtype=dtype)[:, None]
        self.fixed: Array = np.asarray(bounds.fixed, dtype=dtype)[:, None]
        self.high: Array = np.asarray(bounds.high, dtype=dtype)[:, None]
        self.low_finish = np.zeros((n, 1), dtype=np.bool_)
        self.fixed_finish = np.zeros((n, 1), dtype=np.bool_)
        for j in range(n):
            if bounds.low[j] != NONE_LOW:
                self.low_finish[j] = _driver_finishes(problem, bounds, j, bounds.low_driver[j])
            if bounds.fixed[j] != NONE_LOW:
                self.fixed_finish[j] = _driver_finishes(problem, bounds, j, bounds.fixed_driver[j])
        self.moving = [j for j in range(n) if moves_with_duration(problem, j)]

    def of(self, dur: Array) -> IterationBounds:
        """Bounds for durations `dur` (tasks x iterations)."""
        if not self.moving:
            return IterationBounds(
                self.low, self.low_finish, self.fixed, self.fixed_finish, self.high
            )
        size = dur.shape[1]
        low, fixed, high = (np.repeat(a, size, axis=1) for a in (self.low, self.fixed, self.high))
        low_finish, fixed_finish = (
            np.repeat(a, size, axis=1) for a in (self.low_finish, self.fixed_finish)
        )
        for j in self.moving:
            _recompute(
                self.problem, self.bounds, j, dur[j], low, low_finish, fixed, fixed_finish, high
            )
        return IterationBounds(low, low_finish, fixed, fixed_finish, high)


def iteration_bounds(
    problem: ScheduleProblem, bounds: TaskBounds, dur: Array, dtype: type = np.int64
) -> IterationBounds:
    """Bounds for durations `dur` (tasks x iterations)."""
    return BoundsPerIteration(problem, bounds, dtype).of(dur)


def _recompute(
    problem: ScheduleProblem,
    bounds: TaskBounds,
    j: int,
    dur: Array,
    low: Array,
    low_finish: Bools,
    fixed: Array,
    fixed_finish: Bools,
    high: Array,
) -> None:
    """One task's bounds as `task_bounds` finds them, for each drawn duration."""
    tl = problem.timelines[problem.calendar_idx[j]]
    size = dur.shape[0]
    row_low = np.full(size, NONE_LOW, dtype=low.dtype)
    row_low_finish = np.zeros(size, dtype=np.bool_)
    status = problem.status_minute
    if status is not None and not problem.complete[j] and problem.actual_start_minute[j] is None:
        row_low[:] = tl.to_work(status)  # not started by the status date
    row_fixed = np.full(size, NONE_LOW, dtype=low.dtype)
    row_fixed_finish = np.zeros(size, dtype=np.bool_)
    row_high = np.full(size, NONE_HIGH, dtype=low.dtype)
    for constraint in problem.constraints[j]:
        ctype = constraint.type
        on = tl.to_work(problem.moment_minute(constraint.on, finish=ctype.on_finish))
        start_bound = on - dur if ctype.on_finish else np.full(size, on, dtype=low.dtype)
        if ctype in _FIXING:
            row_fixed[:] = start_bound
            row_fixed_finish[:] = ctype.on_finish
        elif ctype.pushes_early:
            later = start_bound > row_low
            row_low = np.where(later, start_bound, row_low)
            row_low_finish = np.where(later, ctype.on_finish, row_low_finish)
        if ctype.limits_late:
            row_high = np.minimum(row_high, on if ctype.on_finish else on + dur)
    deadline = problem.deadline_minute[j]
    if deadline is not None:
        row_high = np.minimum(row_high, tl.to_work(deadline))
    if problem.actual_start_minute[j] is not None:
        row_fixed[:] = bounds.fixed[j]
        row_fixed_finish[:] = bounds.actual_finish[j] != NONE_LOW
    low[j], low_finish[j], fixed[j], fixed_finish[j], high[j] = (
        row_low,
        row_low_finish,
        row_fixed,
        row_fixed_finish,
        row_high,
    )
