"""Percentiles, probabilities, criticality and sensitivity from a simulation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from techpm.forecasting.simulation import SimulationResult
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.problem import ScheduleProblem
from techpm.scheduling.result import Schedule
from techpm.scheduling.timeline import Timeline

PERCENTILES = (10, 20, 30, 40, 50, 60, 70, 80, 90, 95)


@dataclass(frozen=True)
class TaskRisk:
    id: str
    criticality: float  # share of iterations in which the task is critical
    sensitivity: float  # Spearman rank correlation of its duration with the finish


@dataclass(frozen=True)
class RiskEffect:
    """How much a risk moves the finish: the mean finish when it occurs minus when not."""

    id: str
    occurred: float  # share of iterations
    finish_delta_days: float


@dataclass(frozen=True)
class Mitigation:
    """A response's worth: the simulation with the response and without it."""

    id: str
    p80_days_with: float
    p80_days_without: float
    mean_cost_with: float
    mean_cost_without: float


@dataclass(frozen=True)
class SimulationSummary:
    iterations: int
    finish: dict[str, datetime]  # "p10" ... "p95"
    finish_working_days: dict[str, float]
    cost: dict[str, float]
    deadlines: dict[str, float]  # task id -> probability of meeting its deadline or limit
    tasks: list[TaskRisk]
    risks: list[RiskEffect]  # largest effect first (a tornado)
    milestones: dict[str, dict[str, datetime]]
    mitigations: list[Mitigation]


def _ranks(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Ranks along the last axis (ties broken by order, enough for continuous draws)."""
    order = np.argsort(values, axis=-1, kind="stable")
    ranks = np.empty(values.shape, dtype=np.float64)
    positions = np.broadcast_to(np.arange(values.shape[-1], dtype=np.float64), values.shape)
    np.put_along_axis(ranks, order, positions, axis=-1)
    return ranks


def summarize(
    problem: ScheduleProblem,
    result: SimulationResult,
    mitigations: Sequence[Mitigation] = (),
    *,
    deterministic: Schedule | None = None,
) -> SimulationSummary:
    """`deterministic`: the problem's schedule, when the caller has it already."""
    tl = problem.timelines[result.scale]
    per_day = problem.minutes_per_day
    epoch = datetime.combine(problem.epoch, datetime.min.time())
    finish_q = np.percentile(result.finish_w, PERCENTILES) if result.iterations else np.zeros(10)
    finish = {
        f"p{p}": epoch + timedelta(minutes=tl.finish_at(int(np.ceil(w - 1e-9))))
        for p, w in zip(PERCENTILES, finish_q, strict=True)
    }
    days = {
        f"p{p}": float((w - result.start_w) / per_day)
        for p, w in zip(PERCENTILES, finish_q, strict=True)
    }
    cost_q = np.percentile(result.cost, PERCENTILES) if result.iterations else np.zeros(10)
    cost = {f"p{p}": float(c) for p, c in zip(PERCENTILES, cost_q, strict=True)}
    n = max(result.iterations, 1)
    sensitivity = np.zeros(problem.size)
    if result.durations:
        durations = np.concatenate(result.durations, axis=1)
        varying = np.flatnonzero(durations.std(axis=1) > 0)
        if varying.size and result.finish_w.std() > 0:
            finish_rank = _ranks(result.finish_w)
            finish_rank -= finish_rank.mean()
            ranks = _ranks(durations[varying])
            ranks -= ranks.mean(axis=1, keepdims=True)
            num = ranks @ finish_rank
            den = np.sqrt((ranks**2).sum(axis=1) * (finish_rank**2).sum())
            sensitivity[varying] = num / den
    tasks = [
        TaskRisk(problem.ids[j], float(result.critical_count[j] / n), float(sensitivity[j]))
        for j in range(problem.size)
    ]
    effects = []
    for risk_id, occurs in result.occurred.items():
        hit = result.finish_w[occurs]
        miss = result.finish_w[~occurs]
        delta = (hit.mean() - miss.mean()) / per_day if hit.size and miss.size else 0.0
        effects.append(RiskEffect(risk_id, float(occurs.mean()), float(delta)))
    effects.sort(key=lambda e: -abs(e.finish_delta_days))
    # a milestone sits where the deterministic schedule puts it: at the end of a working day
    # when work before it drives it, at the start of the next when a date or start does
    at_start = _milestones_at_start(problem, tl, result.milestones, deterministic)
    milestones = {
        task_id: {
            f"p{p}": epoch
            + timedelta(
                minutes=(tl.start_at if task_id in at_start else tl.finish_at)(
                    int(np.ceil(w - 1e-6))
                )
            )
            for p, w in zip(PERCENTILES, np.percentile(values, PERCENTILES), strict=True)
        }
        for task_id, values in result.milestones.items()
    }
    return SimulationSummary(
        iterations=result.iterations,
        finish=finish,
        finish_working_days=days,
        cost=cost,
        deadlines={k: v / n for k, v in result.deadline_met.items()},
        tasks=tasks,
        risks=effects,
        milestones=milestones,
        mitigations=list(mitigations),
    )


def _milestones_at_start(
    problem: ScheduleProblem,
    tl: Timeline,
    milestones: Mapping[str, object],
    deterministic: Schedule | None,
) -> frozenset[str]:
    if not milestones:
        return frozenset()
    deterministic = deterministic or schedule_problem(problem)
    found = set()
    for task_id in milestones:
        moment = deterministic.early_finish_at[problem.index[task_id]]
        if moment != tl.finish_at(tl.to_work(moment)):
            found.add(task_id)
    return frozenset(found)


def p80_days(result: SimulationResult, per_day: int) -> float:
    return float((np.percentile(result.finish_w, 80) - result.start_w) / per_day)
