"""The critical-path passes over many iterations at once, for tasks on one calendar.

With one calendar every date is a working offset on the same scale, so a level of the
network is one batch of array operations over tasks and iterations. float32 halves the
memory the passes stream through; whole minutes stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from techpm.forecasting.iteration_bounds import IterationBounds
from techpm.scheduling.bounds import NONE_LOW
from techpm.scheduling.problem import ScheduleProblem

Work = npt.NDArray[np.float32]  # tasks x iterations


@dataclass(frozen=True)
class Step:
    """One level of the network and the links into (or out of) its tasks, grouped by task."""

    tasks: npt.NDArray[np.int64]
    other: npt.NDArray[np.int64]  # the task at the far end of each link
    own: npt.NDArray[np.int64]  # the level's task each group of links belongs to
    starts: npt.NDArray[np.int64]  # where each group begins among the level's links
    from_finish: npt.NDArray[np.bool_]
    to_finish: npt.NDArray[np.bool_]
    lag: Work


def steps(problem: ScheduleProblem, links: npt.NDArray[np.int64], *, into: bool) -> list[Step]:
    """Per level, the links `into` its tasks (forward) or out of them (backward), sorted so
    that one reduceat per level folds them onto their task."""
    edges = problem.edges
    level_of = np.zeros(problem.size, dtype=np.int64)
    for number, tasks in enumerate(problem.levels):
        level_of[tasks] = number
    own_all = (edges.succ if into else edges.pred)[links]
    other_all = (edges.pred if into else edges.succ)[links]
    order = np.lexsort((own_all, level_of[own_all]))
    links, own_all, other_all = links[order], own_all[order], other_all[order]
    bounds = np.searchsorted(level_of[own_all], np.arange(len(problem.levels) + 1))
    steps = []
    for number, tasks in enumerate(problem.levels):
        a, b = bounds[number], bounds[number + 1]
        own = own_all[a:b]
        firsts = np.flatnonzero(np.r_[True, own[1:] != own[:-1]]) if b > a else own[:0]
        steps.append(
            Step(
                tasks=tasks,
                other=other_all[a:b],
                own=own[firsts],
                starts=firsts,
                from_finish=edges.from_finish[links[a:b]],
                to_finish=edges.to_finish[links[a:b]],
                lag=edges.lag_minutes[links[a:b]].astype(np.float32),
            )
        )
    return steps


def forward(
    steps: list[Step],
    limits: IterationBounds,
    actual_finish: npt.NDArray[np.float64],
    dur: Work,
    start_w: float,
    n: int,
) -> tuple[Work, Work]:
    size = dur.shape[1]
    es = np.full((n, size), start_w, dtype=np.float32)
    ef = np.zeros((n, size), dtype=np.float32)
    low, fixed = limits.low, limits.fixed
    for step in steps:
        tasks = step.tasks
        if step.other.size:
            p = step.other
            # most links are finish-to-start: skip the gathers they do not need
            if step.from_finish.all():
                ref = ef[p]
            elif not step.from_finish.any():
                ref = es[p]
            else:
                ref = np.where(step.from_finish[:, None], ef[p], es[p])
            bound = ref + step.lag[:, None]
            if step.to_finish.any():
                own_dur = dur[np.repeat(step.own, np.diff(np.r_[step.starts, p.size]))]
                bound -= np.where(step.to_finish[:, None], own_dur, 0.0)
            folded = np.maximum.reduceat(bound, step.starts, axis=0)
            es[step.own] = np.maximum(es[step.own], folded)
        start = np.maximum(es[tasks], low[tasks])
        pinned = fixed[tasks]
        start = np.where(pinned != NONE_LOW, pinned, start)
        es[tasks] = start
        done = actual_finish[tasks]
        ef[tasks] = np.where(
            (done != NONE_LOW)[:, None], np.maximum(start, done[:, None]), start + dur[tasks]
        )
    return es, ef


def critical(
    steps: list[Step],
    problem: ScheduleProblem,
    limits: IterationBounds,
    dur: Work,
    es: Work,
    ef: Work,
    finish: Work,
) -> npt.NDArray[np.int64]:
    """Per task, in how many of these iterations its total float is zero or less."""
    n, size = dur.shape
    high = limits.high
    complete = np.asarray(problem.complete, dtype=bool)
    lf = np.zeros((n, size), dtype=np.float32)
    ls = np.zeros((n, size), dtype=np.float32)
    for step in reversed(steps):
        tasks = step.tasks
        lf[tasks] = np.minimum(finish[None, :], high[tasks])
        if step.other.size:
            s = step.other
            if not step.to_finish.any():
                late = ls[s] - step.lag[:, None]
            else:
                late = np.where(step.to_finish[:, None], lf[s], ls[s]) - step.lag[:, None]
            bound = late
            if not step.from_finish.all():
                owners = np.repeat(step.own, np.diff(np.r_[step.starts, s.size]))
                bound = late + np.where(step.from_finish[:, None], 0.0, dur[owners])
            folded = np.minimum.reduceat(bound, step.starts, axis=0)
            lf[step.own] = np.minimum(lf[step.own], folded)
        ls[tasks] = lf[tasks] - dur[tasks]
        done = complete[tasks]
        if done.any():  # finished work keeps its dates, for its predecessors too
            lf[tasks] = np.where(done[:, None], ef[tasks], lf[tasks])
            ls[tasks] = np.where(done[:, None], es[tasks], ls[tasks])
    total = ls - es
    # float32 sums drift by a fraction of a minute: half a minute of float is none
    counts: npt.NDArray[np.int64] = ((total <= 0.5) & ~complete[:, None]).sum(axis=1)
    return counts
