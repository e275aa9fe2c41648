"""The critical-path passes over many iterations at once, for tasks on several calendars.

The same computation as the task-by-task reference passes (scheduling/passes.py and the
moments of cpm.py) on each iteration's whole-minute durations, level by level with numpy:
dates are working offsets on each task's own calendar, and a link between calendars goes
through the moment it leaves from (a start, a finish, a milestone's side of the day, a
recorded date), read on the other calendar through a lookup table (work_maps.py). The
tests check that every iteration gives the reference dates and critical tasks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from techpm.forecasting.iteration_bounds import IterationBounds
from techpm.forecasting.mixed_network import Level, MixedNetwork
from techpm.forecasting.work_maps import WorkMaps
from techpm.scheduling.bounds import NONE_LOW

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class MixedResult:
    es: Ints  # tasks x iterations, working offsets on each task's calendar
    ef: Ints
    finish_own: Ints  # each task's finish moment on its own calendar (recorded dates kept)
    finish_scaled: Ints  # each task's finish moment on the project calendar
    finish: Ints  # the project finish on the project calendar, per iteration
    critical: Ints  # per task, iterations in which it is critical


def mixed_passes(
    network: MixedNetwork, maps: WorkMaps, dur: Ints, limits: IterationBounds
) -> MixedResult:
    """Dates and critical tasks of every iteration (column) of whole-minute durations."""
    es, ef, bias = _forward(network, maps, dur, limits)
    _morning_after(network, es, ef, bias)
    n, size = dur.shape
    finish_w = np.zeros((network.calendars, size), dtype=np.int64)
    finish_own = np.zeros((n, size), dtype=np.int64)
    finish_scaled = np.zeros((n, size), dtype=np.int64)
    for a, tasks in enumerate(network.by_calendar):
        if not tasks.size:
            continue
        sides = np.ones(tasks.size, dtype=np.bool_)
        for c in range(network.calendars):
            at = _moments(network, maps, a, c, tasks, sides, es, ef, bias)
            finish_w[c] = np.maximum(finish_w[c], at.max(axis=0))
            if c == a:
                finish_own[tasks] = at
            if c == 0:
                finish_scaled[tasks] = at
    critical = _backward(network, maps, dur, limits, es, ef, finish_w)
    return MixedResult(es, ef, finish_own, finish_scaled, finish_w[0], critical)


def _forward(
    network: MixedNetwork, maps: WorkMaps, dur: Ints, limits: IterationBounds
) -> tuple[Ints, Ints, Bools]:
    n, size = dur.shape
    cal = network.cal
    es = np.zeros((n, size), dtype=np.int64)
    ef = np.zeros((n, size), dtype=np.int64)
    bias = np.zeros((n, size), dtype=np.bool_)  # a milestone at the end of its day
    for level in network.forward:
        tasks = level.tasks
        es[tasks] = network.start_w[cal[tasks]][:, None]
        bound = None
        if level.other.size:
            p = level.other
            ref = np.where(level.from_finish[:, None], ef[p], es[p])
            for crossing in level.crossings:
                ref[crossing.rows] = _moments(
                    network,
                    maps,
                    crossing.source,
                    crossing.target,
                    p[crossing.rows],
                    crossing.finish,
                    es,
                    ef,
                    bias,
                )
            bound = ref + level.lag[:, None]
            if level.to_finish.any():
                bound -= np.where(level.to_finish[:, None], dur[level.owner], 0)
            folded = np.maximum.reduceat(bound, level.starts, axis=0)
            es[level.own] = np.maximum(es[level.own], folded)
        net = es[tasks]
        low, fixed = limits.low[tasks], limits.fixed[tasks]
        start = np.where(low > net, low, net)
        start = np.where(fixed != NONE_LOW, fixed, start)
        es[tasks] = start
        done = network.actual_finish[tasks]
        ef[tasks] = np.where(done != NONE_LOW, np.maximum(start, done), start + dur[tasks])
        for j, a, b in level.milestones:
            bias[j] = _milestone_side(network, limits, level, bound, j, a, b, size)
    return es, ef, bias


def _milestone_side(
    network: MixedNetwork,
    limits: IterationBounds,
    level: Level,
    bound: Ints | None,
    j: int,
    a: int,
    b: int,
    size: int,
) -> Bools:
    """Whether milestone j sits at the end of its day: its driving link leaves a finish (the
    first link that sets its start above the project start), or a finish bound sets it."""
    side = np.zeros(size, dtype=np.bool_)
    net = np.full(size, network.start_w[network.cal[j]], dtype=np.int64)
    if bound is not None and b > a:
        links = bound[a:b]
        top = links.max(axis=0)
        first = np.argmax(links == top[None, :], axis=0)
        side = (top > net) & level.from_finish[a:b][first]
        net = np.maximum(net, top)
    side = np.where(limits.low[j] > net, limits.low_finish[j], side)
    fixed = np.broadcast_to(limits.fixed[j], (size,))
    return np.where(fixed != NONE_LOW, limits.fixed_finish[j], side)


def _morning_after(network: MixedNetwork, es: Ints, ef: Ints, bias: Bools) -> None:
    """A milestone at the instant a same-calendar predecessor's link leaves a start of work
    is shown at that start, as cpm.finish_bias does for one schedule."""
    pred, succ, from_finish, lag = network.near
    if not pred.size:
        return
    point = network.milestone[:, None] & (es == ef)
    at = np.where(from_finish[:, None], ef[pred], es[pred]) + lag[:, None]
    binding = point[succ] & (at == es[succ])
    for _ in range(len(network.milestone)):
        morning = np.where(point[pred], ~bias[pred], ~from_finish[:, None])
        moved = binding & morning & bias[succ]
        if not moved.any():
            return
        cleared = np.zeros_like(bias)
        np.logical_or.at(cleared, succ, moved)
        bias &= ~cleared


def _moments(
    network: MixedNetwork,
    maps: WorkMaps,
    source: int,
    target: int,
    tasks: Ints,
    finish: Bools,
    es: Ints,
    ef: Ints,
    bias: Bools,
    *,
    recorded: bool = True,
) -> Ints:
    """Per row, the start (or, where `finish`, the finish) moment of a task on calendar
    `source`, as a working offset on calendar `target`."""
    out = np.empty((tasks.size, es.shape[1]), dtype=np.int64)
    ends, begins = np.flatnonzero(finish), np.flatnonzero(~finish)
    if ends.size:
        out[ends] = maps.convert(source, target, "finish", ef[tasks[ends]])
    if begins.size:
        out[begins] = maps.convert(source, target, "start", es[tasks[begins]])
    points = np.flatnonzero(network.milestone[tasks])
    if points.size:  # one instant, on the side of the day its driver says
        j = tasks[points]
        w = es[j]
        at = np.where(
            bias[j],
            maps.convert(source, target, "finish", w),
            maps.convert(source, target, "start", w),
        )
        out[points] = np.where(es[j] == ef[j], at, out[points])
    if recorded and network.recorded:
        for row in np.flatnonzero([int(t) in network.recorded for t in tasks]).tolist():
            task = int(tasks[row])
            out[row] = _recorded(
                network, maps, source, target, task, bool(finish[row]), es, ef, bias
            )
    return out


def _recorded(
    network: MixedNetwork,
    maps: WorkMaps,
    source: int,
    target: int,
    j: int,
    finish: bool,
    es: Ints,
    ef: Ints,
    bias: Bools,
) -> Ints:
    """A task with recorded dates: they are shown as recorded (recorded.put_back)."""
    both = np.asarray([False, True])
    twice = np.asarray([j, j], dtype=np.int64)
    plain = _moments(network, maps, source, target, twice, both, es, ef, bias, recorded=False)
    start_at: Ints = plain[0]
    finish_at: Ints = plain[1]
    shown_start, shown_finish = network.recorded[j]
    if shown_start is not None:
        start_at = np.full_like(start_at, maps.at_moment(target, shown_start))
    if not finish:
        return start_at
    if shown_finish is not None:
        finish_at = np.full_like(finish_at, maps.at_moment(target, shown_finish))
    later: Ints = np.maximum(start_at, finish_at)
    return later


def _backward(
    network: MixedNetwork,
    maps: WorkMaps,
    dur: Ints,
    limits: IterationBounds,
    es: Ints,
    ef: Ints,
    finish_w: Ints,
) -> Ints:
    n, size = dur.shape
    cal = network.cal
    lf = np.zeros((n, size), dtype=np.int64)
    ls = np.zeros((n, size), dtype=np.int64)
    for level in reversed(network.backward):
        tasks = level.tasks
        lf[tasks] = np.minimum(finish_w[cal[tasks]], limits.high[tasks])
        if level.other.size:
            s = level.other
            late = np.where(level.to_finish[:, None], lf[s], ls[s]) - level.lag[:, None]
            for crossing in level.crossings:
                late[crossing.rows] = maps.convert(
                    crossing.source, crossing.target, "start", late[crossing.rows]
                )
            if not level.from_finish.all():
                late += np.where(level.from_finish[:, None], 0, dur[level.owner])
            folded = np.minimum.reduceat(late, level.starts, axis=0)
            lf[level.own] = np.minimum(lf[level.own], folded)
        ls[tasks] = lf[tasks] - dur[tasks]
        done = network.complete[tasks]
        if done.any():  # finished work keeps its dates
            lf[tasks] = np.where(done[:, None], ef[tasks], lf[tasks])
            ls[tasks] = np.where(done[:, None], es[tasks], ls[tasks])
    critical: Ints = ((ls - es <= 0) & ~network.complete[:, None]).sum(axis=1)
    return critical
