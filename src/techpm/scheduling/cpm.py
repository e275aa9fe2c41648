"""Critical path method over working time: forward pass, backward pass, floats.

Each task's dates are kept as working offsets on its own calendar (see timeline.py), so a
link between tasks on the same calendar is plain integer arithmetic; only links between
calendars convert through real moments. Lags are working time on the successor's calendar.
"""

from __future__ import annotations

import numpy as np

from techpm.domain.errors import Diagnostic, Severity
from techpm.domain.task import ConstraintType
from techpm.scheduling.problem import ScheduleProblem
from techpm.scheduling.result import (
    DRIVER_ACTUAL,
    DRIVER_START,
    Schedule,
    constraint_driver,
)
from techpm.scheduling.timeline import Timeline

_EdgeRow = tuple[int, bool, bool, int, int, bool]


def schedule_problem(problem: ScheduleProblem) -> Schedule:
    """Early dates, late dates and floats of every task; never raises on a late constraint."""
    n = problem.size
    tls = problem.timelines
    cal = problem.calendar_idx
    dur = problem.duration
    edges = problem.edges
    diagnostics: list[Diagnostic] = []

    # Per-edge rows (other task, from_finish, to_finish, lag, edge index, same calendar).
    in_rows: list[list[_EdgeRow]] = [
        [
            (
                edges[k].pred,
                edges[k].type.from_finish,
                edges[k].type.to_finish,
                edges[k].lag_minutes,
                k,
                cal[edges[k].pred] == cal[j],
            )
            for k in problem.preds[j]
        ]
        for j in range(n)
    ]
    needs_moment = [any(cal[edges[k].succ] != cal[i] for k in problem.succs[i]) for i in range(n)]
    start_w = [tl.to_work(problem.start_minute) for tl in tls]

    es_w = [0] * n
    ef_w = [0] * n
    es_at = [0] * n
    ef_at = [0] * n
    driver = [DRIVER_START] * n
    finish_bias = [False] * n

    for j in problem.order:
        tl = tls[cal[j]]
        dj = dur[j]
        es = start_w[cal[j]]
        drv = DRIVER_START
        for i, from_finish, to_finish, lag, k, same in in_rows[j]:
            if same:
                ref = ef_w[i] if from_finish else es_w[i]
            else:
                ref = tl.to_work(ef_at[i] if from_finish else es_at[i])
            bound = ref + lag - dj if to_finish else ref + lag
            if bound > es:
                es = bound
                drv = k
        network_es = es
        fixed = False
        for c_idx, constraint in enumerate(problem.constraints[j]):
            ctype = constraint.type
            if not ctype.pushes_early:
                continue
            on = tl.to_work(problem.moment_minute(constraint.on, finish=ctype.on_finish))
            bound = on - dj if ctype.on_finish else on
            if ctype in (ConstraintType.MUST_START_ON, ConstraintType.MUST_FINISH_ON):
                es, drv, fixed = bound, constraint_driver(c_idx), True
            elif bound > es and not fixed:
                es, drv = bound, constraint_driver(c_idx)
        actual_start = problem.actual_start_minute[j]
        if actual_start is not None:
            es, drv, fixed = tl.to_work(actual_start), DRIVER_ACTUAL, True
        if fixed and network_es > es:
            diagnostics.append(_fixed_conflict(problem, j, drv))
        ef = es + dj
        actual_finish = problem.actual_finish_minute[j]
        if actual_finish is not None:
            ef = max(es, tl.to_work(actual_finish))
        es_w[j] = es
        ef_w[j] = ef
        driver[j] = drv
        finish_bias[j] = _finishes_into(problem, j, drv)
        if needs_moment[j]:
            es_at[j], ef_at[j] = _moments(tl, es, ef, problem.milestone[j], finish_bias[j])

    es_at, ef_at = _all_moments(problem, es_w, ef_w, finish_bias)
    finish_minute = max(ef_at) if n else problem.start_minute
    finish_w = [tl.to_work(finish_minute) for tl in tls]

    ls_w = [0] * n
    lf_w = [0] * n
    free = [0] * n
    for i in reversed(problem.order):
        tl = tls[cal[i]]
        di = dur[i]
        lf = finish_w[cal[i]]
        ff: int | None = None
        for k in problem.succs[i]:
            edge = edges[k]
            j = edge.succ
            from_finish = edge.type.from_finish
            to_finish = edge.type.to_finish
            if not to_finish and problem.actual_start_minute[j] is not None:
                continue  # a start that already happened no longer limits its predecessors
            late = (lf_w[j] if to_finish else ls_w[j]) - edge.lag_minutes
            early = (ef_w[j] if to_finish else es_w[j]) - edge.lag_minutes
            if cal[j] != cal[i]:
                other = tls[cal[j]]
                late = tl.to_work(other.start_at(late))
                early = tl.to_work(other.start_at(early))
            bound = late if from_finish else late + di
            if bound < lf:
                lf = bound
            slack = early - (ef_w[i] if from_finish else es_w[i])
            if ff is None or slack < ff:
                ff = slack
        for constraint in problem.constraints[i]:
            ctype = constraint.type
            if ctype.limits_late:
                on = tl.to_work(problem.moment_minute(constraint.on, finish=ctype.on_finish))
                lf = min(lf, on if ctype.on_finish else on + di)
        deadline = problem.deadline_minute[i]
        if deadline is not None:
            lf = min(lf, tl.to_work(deadline))
        if problem.complete[i]:
            lf, ls = ef_w[i], es_w[i]
        else:
            ls = lf - di
        lf_w[i] = lf
        ls_w[i] = ls
        free[i] = finish_w[cal[i]] - ef_w[i] if ff is None else ff

    total = [ls_w[i] - es_w[i] for i in range(n)]
    free_float = [max(0, min(free[i], total[i])) for i in range(n)]
    critical = [total[i] <= 0 and not problem.complete[i] for i in range(n)]
    ls_at, lf_at = _all_moments(problem, ls_w, lf_w, finish_bias)
    negative = [problem.ids[i] for i in range(n) if total[i] < 0]
    if negative:
        diagnostics.append(
            Diagnostic(
                code="schedule.negative_float",
                severity=Severity.WARNING,
                message=f"{len(negative)} task(s) have negative float: a date constraint or "
                "deadline cannot be met with the current network",
                subjects=tuple(negative),
            )
        )
    return Schedule(
        problem=problem,
        early_start_w=es_w,
        early_finish_w=ef_w,
        late_start_w=ls_w,
        late_finish_w=lf_w,
        early_start_at=es_at,
        early_finish_at=ef_at,
        late_start_at=ls_at,
        late_finish_at=lf_at,
        total_float=total,
        free_float=free_float,
        critical=critical,
        driver=driver,
        finish_minute=finish_minute,
        diagnostics=tuple(diagnostics),
    )


def _finishes_into(problem: ScheduleProblem, j: int, drv: int) -> bool:
    """A milestone driven by a finish sits at that finish (Friday evening, not Monday)."""
    if drv >= 0:
        return problem.edges[drv].type.from_finish
    if drv == DRIVER_ACTUAL:
        return problem.actual_finish_minute[j] is not None
    if drv <= constraint_driver(0):
        return problem.constraints[j][constraint_driver(0) - drv].type.on_finish
    return False


def _moments(tl: Timeline, es: int, ef: int, milestone: bool, finish_bias: bool) -> tuple[int, int]:
    if milestone and es == ef:
        at = tl.finish_at(es) if finish_bias else tl.start_at(es)
        return at, at
    return tl.start_at(es), tl.finish_at(ef)


def _all_moments(
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


def _fixed_conflict(problem: ScheduleProblem, j: int, drv: int) -> Diagnostic:
    if drv == DRIVER_ACTUAL:
        return Diagnostic(
            code="progress.out_of_sequence",
            severity=Severity.WARNING,
            message=f"task {problem.ids[j]!r} started before its predecessors allow",
            subjects=(problem.ids[j],),
        )
    return Diagnostic(
        code="constraint.overrides_dependency",
        severity=Severity.WARNING,
        message=f"a must-start/finish-on date of task {problem.ids[j]!r} is earlier than its "
        "predecessors allow; the date is kept and a link is not met",
        subjects=(problem.ids[j],),
    )
