"""Forward and backward passes task by task: the reference engine, for any mix of calendars.

Links between tasks on different calendars convert through real moments; lags count on the
successor's calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from techpm.scheduling.bounds import NONE_LOW, TaskBounds
from techpm.scheduling.problem import ScheduleProblem
from techpm.scheduling.result import DRIVER_START

MomentOf = Callable[[int, int, int, int], tuple[int, int]]
"""(task, early start, early finish, driver) -> (start, finish) moments, across calendars."""


@dataclass
class EarlyDates:
    start: list[int]
    finish: list[int]
    network_start: list[int]  # before date constraints and actuals
    driver: list[int]


@dataclass
class LateDates:
    start: list[int]
    finish: list[int]
    free: list[int]


def forward_scalar(problem: ScheduleProblem, bounds: TaskBounds, moment_of: MomentOf) -> EarlyDates:
    n = problem.size
    tls = problem.timelines
    cal = problem.calendar_idx
    dur = problem.duration
    e_pred = problem.edges.pred.tolist()
    e_ff = problem.edges.from_finish.tolist()
    e_tf = problem.edges.to_finish.tolist()
    e_lag = problem.edges.lag_minutes.tolist()
    preds = problem.preds
    start_w = [tl.to_work(problem.start_minute) for tl in tls]
    es_w = [0] * n
    ef_w = [0] * n
    net_w = [0] * n
    es_at = [0] * n
    ef_at = [0] * n
    driver = [DRIVER_START] * n
    for j in problem.order:
        cj = cal[j]
        tl = tls[cj]
        dj = dur[j]
        es = start_w[cj]
        drv = DRIVER_START
        for k in preds[j]:
            i = e_pred[k]
            if cal[i] == cj:
                ref = ef_w[i] if e_ff[k] else es_w[i]
            else:
                ref = tl.to_work(ef_at[i] if e_ff[k] else es_at[i])
            bound = ref + e_lag[k] - dj if e_tf[k] else ref + e_lag[k]
            if bound > es:
                es = bound
                drv = k
        net_w[j] = es
        if bounds.low[j] > es:
            es, drv = bounds.low[j], bounds.low_driver[j]
        if bounds.fixed[j] != NONE_LOW:
            es, drv = bounds.fixed[j], bounds.fixed_driver[j]
        ef = es + dj
        if bounds.actual_finish[j] != NONE_LOW:
            ef = max(es, bounds.actual_finish[j])
        es_w[j] = es
        ef_w[j] = ef
        driver[j] = drv
        es_at[j], ef_at[j] = moment_of(j, es, ef, drv)
    return EarlyDates(es_w, ef_w, net_w, driver)


def backward_scalar(
    problem: ScheduleProblem, bounds: TaskBounds, early: EarlyDates, finish_w: list[int]
) -> LateDates:
    n = problem.size
    tls = problem.timelines
    cal = problem.calendar_idx
    dur = problem.duration
    e_succ = problem.edges.succ.tolist()
    e_ff = problem.edges.from_finish.tolist()
    e_tf = problem.edges.to_finish.tolist()
    e_lag = problem.edges.lag_minutes.tolist()
    succs = problem.succs
    es_w, ef_w = early.start, early.finish
    ls_w = [0] * n
    lf_w = [0] * n
    free = [0] * n
    for i in reversed(problem.order):
        ci = cal[i]
        tl = tls[ci]
        di = dur[i]
        lf = min(finish_w[ci], bounds.high[i])
        ff: int | None = None
        for k in succs[i]:
            j = e_succ[k]
            to_finish = e_tf[k]
            if not to_finish and bounds.started[j]:
                continue  # a start that already happened no longer limits its predecessors
            late = (lf_w[j] if to_finish else ls_w[j]) - e_lag[k]
            early_ref = (ef_w[j] if to_finish else es_w[j]) - e_lag[k]
            if cal[j] != ci:
                other = tls[cal[j]]
                late = tl.to_work(other.start_at(late))
                early_ref = tl.to_work(other.start_at(early_ref))
            from_finish = e_ff[k]
            bound = late if from_finish else late + di
            if bound < lf:
                lf = bound
            slack = early_ref - (ef_w[i] if from_finish else es_w[i])
            if ff is None or slack < ff:
                ff = slack
        if problem.complete[i]:
            lf, ls = ef_w[i], es_w[i]
        else:
            ls = lf - di
        lf_w[i] = lf
        ls_w[i] = ls
        free[i] = finish_w[ci] - ef_w[i] if ff is None else ff
    return LateDates(ls_w, lf_w, free)
