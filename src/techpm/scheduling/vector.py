"""Forward and backward passes level by level with numpy, for plans on one calendar.

With a single calendar every date is a working offset on the same scale, so a level of the
network (tasks whose predecessors are all scheduled) is one batch of array operations. Gives
the same dates, floats and drivers as passes.py, which the tests check.
"""

from __future__ import annotations

import numpy as np

from techpm.scheduling.bounds import NONE_HIGH, NONE_LOW, TaskBounds
from techpm.scheduling.passes import EarlyDates, LateDates
from techpm.scheduling.problem import IntArray, ScheduleProblem
from techpm.scheduling.result import DRIVER_START


def _level_of(problem: ScheduleProblem) -> IntArray:
    level = np.zeros(problem.size, dtype=np.int64)
    for number, tasks in enumerate(problem.levels):
        level[tasks] = number
    return level


def _segments(keys: IntArray, count: int) -> tuple[IntArray, IntArray]:
    """Edge order sorted by level, and where each level's edges begin."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(count + 1))
    return order, bounds


def forward_vector(problem: ScheduleProblem, bounds: TaskBounds) -> EarlyDates:
    n = problem.size
    edges = problem.edges
    start_w = problem.timelines[problem.calendar_idx[0] if n else 0].to_work(problem.start_minute)
    dur = np.asarray(problem.duration, dtype=np.int64)
    ff = edges.from_finish
    # the successor's own duration comes off links that reach its finish (FF, SF)
    offset = edges.lag_minutes - np.where(edges.to_finish, dur[edges.succ], 0)
    level = _level_of(problem)
    order, seg = _segments(level[edges.succ], len(problem.levels))
    pred_s, succ_s, ff_s, off_s = edges.pred[order], edges.succ[order], ff[order], offset[order]
    es = np.full(n, start_w, dtype=np.int64)
    ef = np.zeros(n, dtype=np.int64)
    low = np.asarray(bounds.low, dtype=np.int64)
    fixed = np.asarray(bounds.fixed, dtype=np.int64)
    actual_finish = np.asarray(bounds.actual_finish, dtype=np.int64)
    net = es.copy()
    for number, tasks in enumerate(problem.levels):
        a, b = seg[number], seg[number + 1]
        if b > a:
            p = pred_s[a:b]
            ref = np.where(ff_s[a:b], ef[p], es[p])
            np.maximum.at(es, succ_s[a:b], ref + off_s[a:b])
        start = es[tasks]
        if bounds.any_early:
            net[tasks] = start
            start = np.maximum(start, low[tasks])
            pinned = fixed[tasks]
            start = np.where(pinned != NONE_LOW, pinned, start)
            es[tasks] = start
            finish = start + dur[tasks]
            done = actual_finish[tasks]
            ef[tasks] = np.where(done != NONE_LOW, np.maximum(start, done), finish)
        else:
            ef[tasks] = start + dur[tasks]
    if not bounds.any_early:
        net = es
    # Drivers, as the task-by-task pass picks them: the first link that sets the network
    # start above the project start, unless a constraint or an actual overrides it.
    bound = np.where(ff, ef[edges.pred], es[edges.pred]) + offset
    tight = np.flatnonzero((bound == net[edges.succ]) & (bound > start_w))
    first = np.full(n, len(edges), dtype=np.int64)
    np.minimum.at(first, edges.succ[tight], tight)
    driver = np.where(first < len(edges), first, DRIVER_START)
    if bounds.any_early:
        driver = np.where(low > net, np.asarray(bounds.low_driver), driver)
        driver = np.where(fixed != NONE_LOW, np.asarray(bounds.fixed_driver), driver)
    return EarlyDates(es.tolist(), ef.tolist(), net.tolist(), driver.tolist())


def backward_vector(
    problem: ScheduleProblem, bounds: TaskBounds, early: EarlyDates, finish_w: int
) -> LateDates:
    n = problem.size
    edges = problem.edges
    dur = np.asarray(problem.duration, dtype=np.int64)
    es = np.asarray(early.start, dtype=np.int64)
    ef = np.asarray(early.finish, dtype=np.int64)
    started = np.asarray(bounds.started, dtype=bool)
    complete = np.asarray(problem.complete, dtype=bool)
    high = np.minimum(np.asarray(bounds.high, dtype=np.int64), finish_w)
    # a start that already happened no longer limits its predecessors
    active = np.flatnonzero(edges.to_finish | ~started[edges.succ])
    pred, succ = edges.pred[active], edges.succ[active]
    ff, tf, lag = edges.from_finish[active], edges.to_finish[active], edges.lag_minutes[active]
    extra = np.where(ff, 0, dur[pred]) - lag  # a link from a start frees the whole duration
    level = _level_of(problem)
    order, seg = _segments(level[pred], len(problem.levels))
    pred_s, succ_s, tf_s, extra_s = pred[order], succ[order], tf[order], extra[order]
    lf = np.full(n, NONE_HIGH, dtype=np.int64)
    ls = np.full(n, NONE_HIGH, dtype=np.int64)
    any_complete = bool(complete.any())
    for number in range(len(problem.levels) - 1, -1, -1):
        tasks = problem.levels[number]
        lf[tasks] = high[tasks]
        a, b = seg[number], seg[number + 1]
        if b > a:
            s = succ_s[a:b]
            late = np.where(tf_s[a:b], lf[s], ls[s])
            np.minimum.at(lf, pred_s[a:b], late + extra_s[a:b])
        if any_complete:
            done = complete[tasks]
            lf[tasks] = np.where(done, ef[tasks], lf[tasks])
            ls[tasks] = np.where(done, es[tasks], lf[tasks] - dur[tasks])
        else:
            ls[tasks] = lf[tasks] - dur[tasks]
    slack = np.where(tf, ef[succ], es[succ]) - lag - np.where(ff, ef[pred], es[pred])
    free = np.full(n, NONE_HIGH, dtype=np.int64)
    np.minimum.at(free, pred, slack)
    free = np.where(free == NONE_HIGH, finish_w - ef, free)
    return LateDates(ls.tolist(), lf.tolist(), free.tolist())
