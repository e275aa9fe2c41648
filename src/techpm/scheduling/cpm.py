"""Critical path method over working time: forward pass, backward pass, floats.

Each task's dates are working offsets on its own calendar (see timeline.py). Plans on one
calendar run through the vectorised passes (vector.py); mixed calendars through the
task-by-task reference passes (passes.py). Both give the same result on one calendar.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from techpm.domain.errors import Diagnostic, Severity
from techpm.domain.progress_rules import progress_warnings
from techpm.scheduling.actuals_check import out_of_sequence
from techpm.scheduling.bounds import NONE_LOW, TaskBounds, task_bounds
from techpm.scheduling.late_moments import safe_late_moments
from techpm.scheduling.passes import EarlyDates, backward_scalar, forward_scalar
from techpm.scheduling.problem import ScheduleProblem
from techpm.scheduling.recorded import put_back, with_recorded
from techpm.scheduling.result import (
    DRIVER_ACTUAL,
    DRIVER_START,
    DRIVER_STATUS,
    Schedule,
    constraint_driver,
)
from techpm.scheduling.timeline import Timeline
from techpm.scheduling.vector import backward_vector, forward_vector

Engine = Literal["auto", "vector", "scalar"]


def schedule_problem(problem: ScheduleProblem, *, engine: Engine = "auto") -> Schedule:
    """Early dates, late dates and floats of every task; never raises on a late constraint."""
    n = problem.size
    tls = problem.timelines
    cal = problem.calendar_idx
    bounds = task_bounds(problem)
    vector = engine == "vector" or (engine == "auto" and problem.single_calendar)
    if vector and not problem.single_calendar:
        raise ValueError("the vector engine needs every task on one calendar")

    if vector:
        early = forward_vector(problem, bounds)
    else:
        crossing = _crosses_calendars(problem)
        shown = {j: (s, f) for j, s, f in problem.recorded}

        def moment_of(j: int, es: int, ef: int, drv: int) -> tuple[int, int]:
            if not crossing[j]:
                return 0, 0
            bias = finishes_into(problem, bounds, j, drv)
            at = _moments(tls[cal[j]], es, ef, problem.milestone[j], bias)
            return put_back(*at, *shown[j]) if j in shown else at

        early = forward_scalar(problem, bounds, moment_of)

    bias = finish_bias(problem, bounds, early.driver, early.start, early.finish)
    es_at, ef_at = all_moments(problem, early.start, early.finish, bias)
    es_at, ef_at = with_recorded(es_at, ef_at, problem.recorded)
    finish_minute = max(ef_at) if n else problem.start_minute
    finish_w = [tl.to_work(finish_minute) for tl in tls]
    if vector:
        late = backward_vector(problem, bounds, early, finish_w[cal[0]] if n else 0)
    else:
        late = backward_scalar(problem, bounds, early, finish_w)

    total = [ls - es for ls, es in zip(late.start, early.start, strict=True)]
    free_float = [max(0, min(f, t)) for f, t in zip(late.free, total, strict=True)]
    critical = [t <= 0 and not done for t, done in zip(total, problem.complete, strict=True)]
    ls_at, lf_at = all_moments(problem, late.start, late.finish, bias)
    if n:
        safe_late_moments(
            problem, bounds, late.start, late.finish, ls_at, lf_at, finish_minute, vector=vector
        )
    ls_at, lf_at = with_recorded(ls_at, lf_at, problem.recorded, only=problem.complete)
    return Schedule(
        problem=problem,
        early_start_w=early.start,
        early_finish_w=early.finish,
        late_start_w=late.start,
        late_finish_w=late.finish,
        early_start_at=es_at,
        early_finish_at=ef_at,
        late_start_at=ls_at,
        late_finish_at=lf_at,
        total_float=total,
        free_float=free_float,
        critical=critical,
        driver=early.driver,
        finish_minute=finish_minute,
        diagnostics=tuple(_diagnostics(problem, bounds, early, total)),
    )


def _crosses_calendars(problem: ScheduleProblem) -> list[bool]:
    """Tasks with a successor on another calendar: their moments are needed mid-pass."""
    cal = np.asarray(problem.calendar_idx, dtype=np.int64)
    edges = problem.edges
    out = np.zeros(problem.size, dtype=bool)
    out[edges.pred[cal[edges.pred] != cal[edges.succ]]] = True
    return out.tolist()


def finishes_into(problem: ScheduleProblem, bounds: TaskBounds, j: int, drv: int) -> bool:
    """A milestone driven by a finish sits at that finish (Friday evening, not Monday)."""
    if drv >= 0:
        return bool(problem.edges.from_finish[drv])
    if drv == DRIVER_ACTUAL:
        return bounds.actual_finish[j] != NONE_LOW
    if drv in (DRIVER_START, DRIVER_STATUS):
        return False
    return problem.constraints[j][constraint_driver(0) - drv].type.on_finish


def finish_bias(
    problem: ScheduleProblem,
    bounds: TaskBounds,
    driver: list[int],
    start_w: list[int] | None = None,
    finish_w: list[int] | None = None,
) -> list[bool]:
    drv = np.asarray(driver, dtype=np.int64)
    bias = np.zeros(problem.size, dtype=bool)
    linked = drv >= 0
    bias[linked] = problem.edges.from_finish[drv[linked]]
    for j in np.flatnonzero((drv < 0) & (drv != DRIVER_START)).tolist():
        bias[j] = finishes_into(problem, bounds, j, driver[j])
    if start_w is not None and finish_w is not None and len(problem.edges):
        _no_earlier_than_predecessors(problem, bias, start_w, finish_w)
    return bias.tolist()


def _no_earlier_than_predecessors(
    problem: ScheduleProblem, bias: npt.NDArray[np.bool_], start_w: list[int], finish_w: list[int]
) -> None:
    """A milestone at the same working instant as the start of a predecessor's link (a start,
    or a milestone shown at the start of a day) is shown at that start too: never at the
    evening before, which would put it before what it follows."""
    edges = problem.edges
    es = np.asarray(start_w, dtype=np.int64)
    ef = np.asarray(finish_w, dtype=np.int64)
    cal = np.asarray(problem.calendar_idx, dtype=np.int64)
    point = np.asarray(problem.milestone, dtype=bool) & (es == ef)
    pred, succ = edges.pred, edges.succ
    from_finish = edges.from_finish
    at = np.where(from_finish, ef[pred], es[pred]) + edges.lag_minutes
    # a task feeding another calendar keeps the moment that calendar was scheduled from
    feeds_other = np.zeros(problem.size, dtype=bool)
    feeds_other[pred[cal[pred] != cal[succ]]] = True
    binding = point[succ] & (at == es[succ]) & (cal[pred] == cal[succ]) & ~feeds_other[succ]
    for _ in range(problem.size):
        # the link leaves a start of work (morning), or a milestone shown in the morning
        morning = np.where(point[pred], ~bias[pred], ~from_finish)
        moved = binding & morning & bias[succ]
        if not moved.any():
            return
        bias[succ[moved]] = False


def _moments(tl: Timeline, es: int, ef: int, milestone: bool, finish_bias: bool) -> tuple[int, int]:
    if milestone and es == ef:
        at = tl.finish_at(es) if finish_bias else tl.start_at(es)
        return at, at
    return tl.start_at(es), tl.finish_at(ef)


def all_moments(
    problem: ScheduleProblem, start_w: list[int], finish_w: list[int], finish_bias: list[bool]
) -> tuple[list[int], list[int]]:
    """Working offsets to moments, vectorised per calendar."""
    n = problem.size
    starts = np.zeros(n, dtype=np.int64)
    finishes = np.zeros(n, dtype=np.int64)
    cal = np.asarray(problem.calendar_idx, dtype=np.int64)
    s_w = np.asarray(start_w, dtype=np.int64)
    f_w = np.asarray(finish_w, dtype=np.int64)
    point = (s_w == f_w) & np.asarray(problem.milestone, dtype=bool)
    bias = np.asarray(finish_bias, dtype=bool) & point
    for c, tl in enumerate(problem.timelines):
        mask = cal == c
        if not mask.any():
            continue
        s_at = tl.start_at_many(s_w[mask])
        f_at = tl.finish_at_many(f_w[mask])
        p = point[mask]
        b = bias[mask]
        s_at = np.where(p & b, f_at, s_at)
        f_at = np.where(p & ~b, s_at, f_at)
        starts[mask] = s_at
        finishes[mask] = f_at
    return starts.tolist(), finishes.tolist()


def _diagnostics(
    problem: ScheduleProblem, bounds: TaskBounds, early: EarlyDates, total: list[int]
) -> list[Diagnostic]:
    found: list[Diagnostic] = progress_warnings(problem.project)
    for j in range(problem.size):
        if bounds.fixed[j] == NONE_LOW or early.network_start[j] <= bounds.fixed[j]:
            continue
        task_id = problem.ids[j]
        if early.driver[j] == DRIVER_ACTUAL:
            found.append(out_of_sequence(problem, j, early.start, early.finish))
        else:
            found.append(
                Diagnostic(
                    code="constraint.overrides_dependency",
                    severity=Severity.WARNING,
                    message=f"a must-start/finish-on date of task {task_id!r} is earlier than "
                    "its predecessors allow; the date is kept and a link is not met",
                    subjects=(task_id,),
                )
            )
    negative = [problem.ids[i] for i in range(problem.size) if total[i] < 0]
    if negative:
        found.append(
            Diagnostic(
                code="schedule.negative_float",
                severity=Severity.WARNING,
                message=f"{len(negative)} task(s) have negative float: a date constraint or "
                "deadline cannot be met with the current network",
                subjects=tuple(negative),
            )
        )
    return found
