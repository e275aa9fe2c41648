"""Monte Carlo schedule and cost risk, vectorised over iterations.

Each iteration draws every task's duration from its estimate and every risk's occurrence,
adds the delays of the risks that occur, and runs the critical-path passes on the same
calendar and links as the deterministic schedule: level by level over the network, with
numpy over a chunk of iterations at a time (memory stays bounded by the chunk). A plan
without uncertainty gives its deterministic dates in every iteration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from techpm.domain.estimate import ThreePoint
from techpm.domain.risk import Risk
from techpm.forecasting.sampling import draw
from techpm.scheduling.bounds import NONE_HIGH, NONE_LOW, TaskBounds, task_bounds
from techpm.scheduling.problem import ScheduleProblem

Floats = npt.NDArray[np.float64]
Progress = Callable[[int], None]
CHUNK = 2_000


class SimulationError(ValueError):
    """The plan cannot be simulated as it is (for example, tasks on several calendars)."""


@dataclass
class SimulationResult:
    iterations: int
    finish_w: Floats  # project finish per iteration, working minutes on the project calendar
    start_w: float  # the project start on that scale
    critical_count: npt.NDArray[np.int64]  # per leaf task: iterations in which it is critical
    deadline_met: dict[str, int]  # task id -> iterations meeting its deadline
    cost: Floats  # per iteration, in the plan's currency
    risk_hits: dict[str, int]  # risk id -> iterations in which it occurred
    durations: list[Floats] = field(default_factory=list)  # per chunk: (tasks, iterations)


def _risk_targets(problem: ScheduleProblem, risk: Risk) -> list[tuple[int, float | ThreePoint]]:
    """Leaf tasks a risk delays: a summary passes its delay to its last tasks."""
    project = problem.project
    out = []
    for delay in risk.delays:
        if delay.task in problem.index:
            out.append((problem.index[delay.task], delay.minutes))
            continue
        leaves = [problem.index[x] for x in project.leaves_under(delay.task)]
        inside = set(leaves)
        finishing = [
            j for j in leaves if not any(problem.edges.succ[k] in inside for k in problem.succs[j])
        ]
        out.extend((j, delay.minutes) for j in finishing or leaves[-1:])
    return out


def simulate(
    problem: ScheduleProblem,
    iterations: int,
    rng: np.random.Generator,
    *,
    residual: bool = True,
    progress: Progress | None = None,
    keep_durations: bool = False,
) -> SimulationResult:
    """`residual`: risks with a response take their residual probability and impact."""
    if not problem.single_calendar:
        raise SimulationError(
            "simulation needs every task on one calendar; this plan has tasks on "
            f"{len(set(problem.calendar_idx))}"
        )
    n = problem.size
    project = problem.project
    tl = problem.timelines[problem.calendar_idx[0] if n else 0]
    start_w = float(tl.to_work(problem.start_minute))
    bounds = task_bounds(problem)
    estimates = [project.task_by_id[t].estimate for t in problem.ids]
    base = np.asarray(problem.duration, dtype=np.float64)
    risks = [r for r in project.risks if r.status.value != "closed"]
    targets = {r.id: _risk_targets(problem, r) for r in risks}
    deadlines = {problem.ids[j]: bounds.high[j] for j in range(n) if bounds.high[j] != NONE_HIGH}
    finish_parts: list[Floats] = []
    cost_parts: list[Floats] = []
    critical = np.zeros(n, dtype=np.int64)
    met = dict.fromkeys(deadlines, 0)
    hits = {r.id: 0 for r in risks}
    kept: list[Floats] = []
    rates = _hourly_cost(problem)
    done = 0
    while done < iterations:
        size = min(CHUNK, iterations - done)
        dur = np.repeat(base[:, None], size, axis=1)
        for j, estimate in enumerate(estimates):
            if estimate is not None and problem.actual_finish_minute[j] is None:
                dur[j] = draw(estimate, size, rng)
        extra_cost = np.zeros(size)
        for risk in risks:
            chance = risk.chance(residual=residual)
            occurs = rng.random(size) < chance
            hits[risk.id] += int(occurs.sum())
            for j, minutes in targets[risk.id]:
                amount = draw(minutes, size, rng) if isinstance(minutes, ThreePoint) else minutes
                dur[j] += np.where(occurs, amount, 0.0)
            cost = risk.cost
            if residual and risk.response is not None and risk.response.residual_cost is not None:
                cost = risk.response.residual_cost
            if cost is not None:
                amount = (
                    draw(cost, size, rng) if isinstance(cost, ThreePoint) else float(Decimal(cost))
                )
                extra_cost += np.where(occurs, amount, 0.0)
            if residual and risk.response is not None:
                extra_cost += float(risk.response.cost)
        es, ef = _forward(problem, bounds, dur, start_w)
        finish = ef.max(axis=0) if n else np.full(size, start_w)
        critical += _critical(problem, bounds, dur, es, finish)
        for task_id, limit in deadlines.items():
            met[task_id] += int((ef[problem.index[task_id]] <= limit + 1e-9).sum())
        finish_parts.append(finish)
        cost_parts.append((dur * rates[:, None]).sum(axis=0) / 60 + extra_cost)
        if keep_durations:
            kept.append(dur.astype(np.float32).astype(np.float64))
        done += size
        if progress is not None:
            progress(size)
    return SimulationResult(
        iterations=iterations,
        finish_w=np.concatenate(finish_parts) if finish_parts else np.zeros(0),
        start_w=start_w,
        critical_count=critical,
        deadline_met=met,
        cost=np.concatenate(cost_parts) if cost_parts else np.zeros(0),
        risk_hits=hits,
        durations=kept,
    )


def _hourly_cost(problem: ScheduleProblem) -> Floats:
    """Per leaf task, the cost of one hour of its duration from its named resources' rates."""
    project = problem.project
    per_day = project.units.minutes_per_day / 60
    out = np.zeros(problem.size)
    for j, task_id in enumerate(problem.ids):
        for assignment in project.task_by_id[task_id].assignments:
            resource = project.resource_by_id.get(assignment.resource)
            if resource is None or resource.rate is None:
                continue
            hourly = float(resource.rate.amount)
            if resource.rate.per.value == "d":
                hourly /= per_day
            out[j] += hourly * assignment.units
    return out


def _forward(
    problem: ScheduleProblem, bounds: object, dur: Floats, start_w: float
) -> tuple[Floats, Floats]:
    from techpm.scheduling.bounds import TaskBounds

    assert isinstance(bounds, TaskBounds)
    n, size = dur.shape
    edges = problem.edges
    es = np.full((n, size), start_w)
    ef = np.zeros((n, size))
    level_of = np.zeros(n, dtype=np.int64)
    for number, tasks in enumerate(problem.levels):
        level_of[tasks] = number
    order = np.argsort(level_of[edges.succ], kind="stable")
    seg = np.searchsorted(level_of[edges.succ][order], np.arange(len(problem.levels) + 1))
    pred, succ = edges.pred[order], edges.succ[order]
    ff, tf, lag = edges.from_finish[order], edges.to_finish[order], edges.lag_minutes[order]
    low = np.asarray(bounds.low, dtype=np.float64)
    fixed = np.asarray(bounds.fixed, dtype=np.float64)
    actual_finish = np.asarray(bounds.actual_finish, dtype=np.float64)
    for number, tasks in enumerate(problem.levels):
        a, b = seg[number], seg[number + 1]
        if b > a:
            p, s = pred[a:b], succ[a:b]
            ref = np.where(ff[a:b, None], ef[p], es[p])
            bound = ref + lag[a:b, None] - np.where(tf[a:b, None], dur[s], 0.0)
            np.maximum.at(es, s, bound)
        start = np.maximum(es[tasks], low[tasks, None])
        pinned = fixed[tasks]
        start = np.where((pinned != NONE_LOW)[:, None], pinned[:, None], start)
        es[tasks] = start
        finish = start + dur[tasks]
        done = actual_finish[tasks]
        ef[tasks] = np.where((done != NONE_LOW)[:, None], np.maximum(start, done[:, None]), finish)
    return es, ef


def _critical(
    problem: ScheduleProblem, bounds: TaskBounds, dur: Floats, es: Floats, finish: Floats
) -> npt.NDArray[np.int64]:
    """Per task, in how many of these iterations its total float is zero or less."""
    n, size = dur.shape
    edges = problem.edges
    started = np.asarray(bounds.started, dtype=bool)
    active = np.flatnonzero(edges.to_finish | ~started[edges.succ])
    pred, succ = edges.pred[active], edges.succ[active]
    ff, tf, lag = edges.from_finish[active], edges.to_finish[active], edges.lag_minutes[active]
    level_of = np.zeros(n, dtype=np.int64)
    for number, tasks in enumerate(problem.levels):
        level_of[tasks] = number
    order = np.argsort(level_of[pred], kind="stable")
    seg = np.searchsorted(level_of[pred][order], np.arange(len(problem.levels) + 1))
    pred, succ, lag = pred[order], succ[order], lag[order]
    ff, tf = ff[order], tf[order]
    high = np.asarray(bounds.high, dtype=np.float64)
    lf = np.zeros((n, size))
    ls = np.zeros((n, size))
    for number in range(len(problem.levels) - 1, -1, -1):
        tasks = problem.levels[number]
        lf[tasks] = np.minimum(finish[None, :], high[tasks, None])
        a, b = seg[number], seg[number + 1]
        if b > a:
            p, s = pred[a:b], succ[a:b]
            late = np.where(tf[a:b, None], lf[s], ls[s]) - lag[a:b, None]
            np.minimum.at(lf, p, late + np.where(ff[a:b, None], 0.0, dur[p]))
        ls[tasks] = lf[tasks] - dur[tasks]
    complete = np.asarray(problem.complete, dtype=bool)
    total = ls - es
    counts: npt.NDArray[np.int64] = ((total <= 1e-6) & ~complete[:, None]).sum(axis=1)
    return counts
