"""Monte Carlo schedule and cost risk, vectorised over iterations.

Each iteration draws every task's duration from its estimate and every risk's occurrence,
adds the delays of the risks that occur, and runs the critical-path passes on the same
calendars and links as the deterministic schedule: level by level over the network, with
numpy over a chunk of iterations at a time (memory stays bounded by the chunk), on one
calendar (one_calendar.py) or several (mixed_calendars.py). A plan without uncertainty
gives its deterministic dates, and costs its budget, in every iteration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from techpm.domain.estimate import ThreePoint
from techpm.domain.risk import Risk
from techpm.forecasting.correlation import correlated_uniforms
from techpm.forecasting.cost_basis import CostBasis
from techpm.forecasting.iteration_bounds import BoundsPerIteration
from techpm.forecasting.mixed_calendars import mixed_passes
from techpm.forecasting.mixed_network import MixedNetwork
from techpm.forecasting.one_calendar import critical as critical_counts
from techpm.forecasting.one_calendar import forward, steps
from techpm.forecasting.sampling import Sampler, draw, quantile
from techpm.forecasting.work_maps import WorkMaps
from techpm.scheduling.bounds import NONE_HIGH, task_bounds
from techpm.scheduling.problem import ScheduleProblem

Floats = npt.NDArray[np.float64]
Work = npt.NDArray[np.float32]  # the passes' arrays: tasks x iterations
Progress = Callable[[int], None]
CHUNK = 2_000


class SimulationError(ValueError):
    """The plan cannot be simulated as it is."""


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
    prepared: Passes | None = None,
) -> SimulationResult:
    """`residual`: risks with a response take their residual probability and impact, and
    cost their response; risks named in `unmitigated` are simulated as if left alone.
    `costs`: what the budget charges (labour per working minute, fixed costs, procurement);
    by default the plan's named rates, fixed costs and items to buy. `prepared`: the
    passes of an earlier run on the same problem, to reuse what they worked out."""
    n = problem.size
    project = problem.project
    passes = prepared if prepared is not None else Passes(problem)
    scale, start_w, bounds = passes.scale, passes.start_w, passes.bounds
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
    deadlines = [j for j in range(n) if bounds.high[j] != NONE_HIGH]
    finish_parts: list[Floats] = []
    cost_parts: list[Floats] = []
    critical = np.zeros(n, dtype=np.int64)
    met = {problem.ids[j]: 0 for j in deadlines}
    hits = {r.id: 0 for r in risks}
    occurred: dict[str, list[npt.NDArray[np.bool_]]] = {r.id: [] for r in risks}
    milestones = [j for j in range(n) if problem.milestone[j]]
    milestone_parts: dict[str, list[Floats]] = {problem.ids[j]: [] for j in milestones}
    kept: list[Floats] = []
    basis = costs if costs is not None else CostBasis.of_plan(problem)
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
        run = passes.run(dur)
        critical += run.critical
        for j in deadlines:
            met[problem.ids[j]] += int((run.finish_own[j] <= run.high[j] + 1e-9).sum())
        finish_parts.append(run.finish.astype(np.float64))
        for j in milestones:
            milestone_parts[problem.ids[j]].append(run.scaled[j].astype(np.float64))
        cost_parts.append(basis.constant + basis.labour(run.es, run.ef) + extra_cost)
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


@dataclass(frozen=True)
class _Run:
    """One chunk of iterations through the passes (tasks x iterations)."""

    es: npt.NDArray[Any]
    ef: npt.NDArray[Any]
    finish_own: npt.NDArray[Any]  # on each task's calendar
    scaled: npt.NDArray[Any]  # on the result's scale
    finish: npt.NDArray[Any]  # per iteration
    critical: npt.NDArray[np.int64]
    high: npt.NDArray[Any]  # latest finish per task


class Passes:
    """The passes for this plan: float32 offsets on one calendar, or on several calendars
    whole minutes, converted between calendars as the deterministic schedule does. What
    does not change between runs (levels, bounds, tables between calendars) is kept."""

    def __init__(self, problem: ScheduleProblem) -> None:
        self.problem = problem
        self.bounds = bounds = task_bounds(problem)
        # one scale for every finish: the tasks' calendar if they share one, else the project's
        self.scale = problem.calendar_idx[0] if problem.size and problem.single_calendar else 0
        self.start_w = float(problem.timelines[self.scale].to_work(problem.start_minute))
        self.one = problem.single_calendar
        self.limits = BoundsPerIteration(problem, bounds, np.float64 if self.one else np.int64)
        if self.one:
            edges = problem.edges
            self.forward = steps(problem, np.arange(len(edges), dtype=np.int64), into=True)
            # a start that already happened no longer limits its predecessors
            started = np.asarray(bounds.started, dtype=bool)
            kept = np.flatnonzero(edges.to_finish | ~started[edges.succ]).astype(np.int64)
            self.backward = steps(problem, kept, into=False)
            self.actual_finish = np.asarray(bounds.actual_finish, dtype=np.float64)
        else:
            self.network = MixedNetwork(problem, bounds)
            self.maps = WorkMaps(problem.timelines)

    def run(self, dur: Work) -> _Run:
        problem = self.problem
        n, size = dur.shape
        if not self.one:
            minutes = np.rint(dur).astype(np.int64)  # the reference passes count whole minutes
            limits = self.limits.of(minutes)
            mixed = mixed_passes(self.network, self.maps, minutes, limits)
            return _Run(
                mixed.es,
                mixed.ef,
                mixed.finish_own,
                mixed.finish_scaled,
                mixed.finish,
                mixed.critical,
                limits.high,
            )
        limits = self.limits.of(dur)
        es, ef = forward(self.forward, limits, self.actual_finish, dur, self.start_w, n)
        finish = ef.max(axis=0) if n else np.full(size, self.start_w, dtype=np.float32)
        hits = critical_counts(self.backward, problem, limits, dur, es, ef, finish)
        return _Run(es, ef, ef, ef, finish, hits, limits.high)
