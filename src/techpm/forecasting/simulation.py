"""Monte Carlo schedule and cost risk, vectorised over iterations.

Each iteration draws every task's duration from its estimate and every risk's occurrence,
adds the delays of the risks that occur, and runs the critical-path passes on the same
calendar and links as the deterministic schedule: level by level over the network, with
numpy over a chunk of iterations at a time (memory stays bounded by the chunk). A plan
without uncertainty gives its deterministic dates in every iteration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from techpm.domain.estimate import ThreePoint
from techpm.domain.risk import Risk
from techpm.forecasting.correlation import correlated_uniforms
from techpm.forecasting.cost_basis import CostBasis
from techpm.forecasting.sampling import Sampler, draw, quantile
from techpm.scheduling.bounds import NONE_HIGH, NONE_LOW, TaskBounds, task_bounds
from techpm.scheduling.problem import ScheduleProblem

Floats = npt.NDArray[np.float64]
Work = npt.NDArray[np.float32]  # the passes' arrays: tasks x iterations
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
    scale: int = 0  # index of the timeline the working minutes count on
    durations: list[Floats] = field(default_factory=list)  # per chunk: (tasks, iterations)
    occurred: dict[str, npt.NDArray[np.bool_]] = field(default_factory=dict)  # per risk
    milestones: dict[str, Floats] = field(default_factory=dict)  # finish per iteration


def _risk_targets(
    problem: ScheduleProblem, risk: Risk, *, residual: bool
) -> list[tuple[int, float | ThreePoint]]:
    """Leaf tasks a risk delays: a summary passes its delay to its last tasks."""
    project = problem.project
    delays = risk.delays
    if residual and risk.response is not None and risk.response.residual_delays is not None:
        delays = risk.response.residual_delays
    out = []
    for delay in delays:
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
    unmitigated: frozenset[str] = frozenset(),
    progress: Progress | None = None,
    keep_durations: bool = False,
    costs: CostBasis | None = None,
) -> SimulationResult:
    """`residual`: risks with a response take their residual probability and impact, and
    cost their response; risks named in `unmitigated` are simulated as if left alone.
    `costs`: what the budget charges (labour per working minute, fixed costs, procurement);
    by default the plan's named rates, fixed costs and items to buy."""
    n = problem.size
    project = problem.project
    # one scale for every finish: the tasks' calendar if they share one, else the project's
    scale = problem.calendar_idx[0] if n and problem.single_calendar else 0
    tl = problem.timelines[scale]
    start_w = float(tl.to_work(problem.start_minute))
    bounds = task_bounds(problem)
    estimates = [project.task_by_id[t].estimate for t in problem.ids]
    uncertain = [
        j
        for j, estimate in enumerate(estimates)
        if estimate is not None and problem.actual_finish_minute[j] is None
    ]
    sampler = Sampler([e for e in (estimates[j] for j in uncertain) if e is not None])
    groups = [
        ([problem.index[t] for t in group.tasks], np.asarray(group.matrix, dtype=np.float64))
        for group in project.correlations
        if all(t in problem.index for t in group.tasks)
    ]
    base32 = np.asarray(problem.duration, dtype=np.float32)
    risks = [r for r in project.risks if r.status.value != "closed"]
    mitigated = {
        r.id: residual and r.response is not None and r.id not in unmitigated for r in risks
    }
    targets = {r.id: _risk_targets(problem, r, residual=mitigated[r.id]) for r in risks}
    deadlines = {problem.ids[j]: bounds.high[j] for j in range(n) if bounds.high[j] != NONE_HIGH}
    finish_parts: list[Floats] = []
    cost_parts: list[Floats] = []
    critical = np.zeros(n, dtype=np.int64)
    met = dict.fromkeys(deadlines, 0)
    hits = {r.id: 0 for r in risks}
    occurred: dict[str, list[npt.NDArray[np.bool_]]] = {r.id: [] for r in risks}
    milestones = [j for j in range(n) if problem.milestone[j]]
    milestone_parts: dict[str, list[Floats]] = {problem.ids[j]: [] for j in milestones}
    kept: list[Floats] = []
    basis = costs if costs is not None else CostBasis.of_plan(problem)
    all_links = np.arange(len(problem.edges), dtype=np.int64)
    forward_steps = _steps(problem, all_links, into=True)
    # a start that already happened no longer limits its predecessors
    started = np.asarray(bounds.started, dtype=bool)
    kept_links = np.flatnonzero(problem.edges.to_finish | ~started[problem.edges.succ])
    backward_steps = _steps(problem, kept_links.astype(np.int64), into=False)
    done = 0
    while done < iterations:
        size = min(CHUNK, iterations - done)
        # float32 halves the memory the passes stream through; whole minutes stay exact
        dur = np.repeat(base32[:, None], size, axis=1)
        if uncertain:
            dur[uncertain] = sampler.draw(size, rng)
        for rows, matrix in groups:
            uniforms = correlated_uniforms(matrix, size, rng)
            for row, j in enumerate(rows):
                estimate = estimates[j]
                if estimate is not None:
                    dur[j] = quantile(estimate, uniforms[row])
        extra_cost = np.zeros(size)
        for risk in risks:
            chance = risk.chance(residual=mitigated[risk.id])
            occurs = rng.random(size) < chance
            hits[risk.id] += int(occurs.sum())
            occurred[risk.id].append(occurs)
            for j, minutes in targets[risk.id]:
                amount = draw(minutes, size, rng) if isinstance(minutes, ThreePoint) else minutes
                dur[j] += np.where(occurs, amount, 0.0)
            cost = risk.cost
            response = risk.response
            if mitigated[risk.id] and response is not None and response.residual_cost is not None:
                cost = response.residual_cost
            if cost is not None:
                amount = (
                    draw(cost, size, rng) if isinstance(cost, ThreePoint) else float(Decimal(cost))
                )
                extra_cost += np.where(occurs, amount, 0.0)
            if mitigated[risk.id] and response is not None:
                extra_cost += float(response.cost)
        if problem.single_calendar:
            es, ef = _forward(forward_steps, bounds, dur, start_w, n)
            finish = ef.max(axis=0) if n else np.full(size, start_w)
            critical += _critical(backward_steps, problem, bounds, dur, es, ef, finish)
        else:
            es, ef, ef_scaled, finish32, hit = _scalar_passes(problem, dur)
            finish = finish32
            critical += hit
        for task_id, limit in deadlines.items():
            met[task_id] += int((ef[problem.index[task_id]] <= limit + 1e-9).sum())
        finish_parts.append(finish.astype(np.float64))
        for j in milestones:
            scaled = ef[j] if problem.single_calendar else ef_scaled[j]
            milestone_parts[problem.ids[j]].append(scaled.astype(np.float64))
        cost_parts.append(basis.constant + basis.labour(ef - es) + extra_cost)
        if keep_durations:
            kept.append(dur.astype(np.float32).astype(np.float64))
        done += size
        if progress is not None:
            progress(size)
    return SimulationResult(
        iterations=iterations,
        finish_w=np.concatenate(finish_parts) if finish_parts else np.zeros(0),
        start_w=start_w,
        scale=scale,
        critical_count=critical,
        deadline_met=met,
        cost=np.concatenate(cost_parts) if cost_parts else np.zeros(0),
        risk_hits=hits,
        durations=kept,
        occurred={k: np.concatenate(v) for k, v in occurred.items() if v},
        milestones={k: np.concatenate(v) for k, v in milestone_parts.items() if v},
    )


def _scalar_passes(
    problem: ScheduleProblem, dur: Work
) -> tuple[Work, Work, Work, Work, npt.NDArray[np.int64]]:
    """Tasks on several calendars: the reference passes, one iteration at a time (slower,
    but on exactly the calendars of the deterministic schedule). Finishes are returned as
    working minutes of the project calendar; durations are whole minutes."""
    from techpm.scheduling.cpm import schedule_problem  # the engines, not their layer's API

    n, size = dur.shape
    project_tl = problem.timelines[0]
    task_tl = [problem.timelines[c] for c in problem.calendar_idx]
    minutes = np.rint(dur).astype(np.int64)
    ef = np.zeros((n, size), dtype=np.float32)  # on each task's calendar, for its limits
    es = np.zeros((n, size), dtype=np.float32)
    scaled = np.zeros((n, size), dtype=np.float32)  # on the project calendar
    finish = np.zeros(size, dtype=np.float32)
    critical = np.zeros(n, dtype=np.int64)
    for column in range(size):
        run = schedule_problem(
            replace(problem, duration=tuple(minutes[:, column].tolist())), engine="scalar"
        )
        es[:, column] = run.early_start_w
        for j in range(n):
            ef[j, column] = task_tl[j].to_work(run.early_finish_at[j])
            scaled[j, column] = project_tl.to_work(run.early_finish_at[j])
        finish[column] = project_tl.to_work(run.finish_minute)
        critical += np.asarray(run.critical, dtype=np.int64)
    return es, ef, scaled, finish, critical


@dataclass(frozen=True)
class _Step:
    """One level of the network and the links into (or out of) its tasks, grouped by task."""

    tasks: npt.NDArray[np.int64]
    other: npt.NDArray[np.int64]  # the task at the far end of each link
    own: npt.NDArray[np.int64]  # the level's task each group of links belongs to
    starts: npt.NDArray[np.int64]  # where each group begins among the level's links
    from_finish: npt.NDArray[np.bool_]
    to_finish: npt.NDArray[np.bool_]
    lag: Work


def _steps(problem: ScheduleProblem, links: npt.NDArray[np.int64], *, into: bool) -> list[_Step]:
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
            _Step(
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


def _forward(
    steps: list[_Step], bounds: TaskBounds, dur: Work, start_w: float, n: int
) -> tuple[Work, Work]:
    size = dur.shape[1]
    es = np.full((n, size), start_w, dtype=np.float32)
    ef = np.zeros((n, size), dtype=np.float32)
    low = np.asarray(bounds.low, dtype=np.float64)
    fixed = np.asarray(bounds.fixed, dtype=np.float64)
    actual_finish = np.asarray(bounds.actual_finish, dtype=np.float64)
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
        start = np.maximum(es[tasks], low[tasks, None])
        pinned = fixed[tasks]
        start = np.where((pinned != NONE_LOW)[:, None], pinned[:, None], start)
        es[tasks] = start
        done = actual_finish[tasks]
        ef[tasks] = np.where(
            (done != NONE_LOW)[:, None], np.maximum(start, done[:, None]), start + dur[tasks]
        )
    return es, ef


def _critical(
    steps: list[_Step],
    problem: ScheduleProblem,
    bounds: TaskBounds,
    dur: Work,
    es: Work,
    ef: Work,
    finish: Work,
) -> npt.NDArray[np.int64]:
    """Per task, in how many of these iterations its total float is zero or less."""
    n, size = dur.shape
    high = np.asarray(bounds.high, dtype=np.float64)
    complete = np.asarray(problem.complete, dtype=bool)
    lf = np.zeros((n, size), dtype=np.float32)
    ls = np.zeros((n, size), dtype=np.float32)
    for step in reversed(steps):
        tasks = step.tasks
        lf[tasks] = np.minimum(finish[None, :], high[tasks, None])
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
