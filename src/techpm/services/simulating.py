"""Simulate a plan's schedule and cost risk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from techpm.domain.errors import TechpmError
from techpm.domain.project import Project
from techpm.forecasting.simulation import Passes, Progress, SimulationError, simulate
from techpm.forecasting.summary import Mitigation, SimulationSummary, p80_days, summarize
from techpm.interop.planfile.loader import load_plan_file
from techpm.reporting.charts import write_charts
from techpm.services.planning import LevelEngine, schedule_loaded
from techpm.services.simulated_plan import simulation_problem
from techpm.services.simulation_costs import budget_basis


class SimulationUnavailable(TechpmError):
    code = "simulation.unsupported"


def simulate_plan(
    plan: Project | str | Path,
    *,
    iterations: int = 10_000,
    seed: int | None = None,
    progress: Progress | None = None,
    on_total: Progress | None = None,
    nearest_correlation: bool = False,
    charts: Path | None = None,
    level: bool | None = None,
    engine: LevelEngine = "auto",
    time_limit: float = 5.0,
) -> SimulationSummary:
    """Percentiles of the finish and cost, deadline odds, criticality and sensitivity; on
    the leveled schedule's order when `level` (None: as the plan says). `on_total` hears
    how many runs `progress` will count: the iterations once, and again per response."""
    loaded = (
        plan
        if isinstance(plan, Project)
        else load_plan_file(plan, nearest_correlation=nearest_correlation)
    )
    result = schedule_loaded(loaded, level=level, engine=engine, time_limit=time_limit)
    problem = simulation_problem(result)
    costs = budget_basis(result)  # everything the budget counts, on the same schedule
    responded = [
        r for r in problem.project.risks if r.response is not None and r.status.value != "closed"
    ]
    if on_total is not None:
        on_total(iterations * (1 + len(responded)))
    try:
        passes = Passes(problem)  # worked out once for every run below
        simulation = simulate(
            problem,
            iterations,
            np.random.default_rng(seed),
            progress=progress,
            keep_durations=True,
            costs=costs,
            prepared=passes,
        )
        mitigations = []
        per_day = problem.minutes_per_day
        for risk in responded:
            # the same random numbers without this one response: only its effect differs
            alone = simulate(
                problem,
                iterations,
                np.random.default_rng(seed),
                unmitigated=frozenset({risk.id}),
                progress=progress,
                costs=costs,
                prepared=passes,
            )
            mitigations.append(
                Mitigation(
                    id=risk.id,
                    p80_days_with=p80_days(simulation, per_day),
                    p80_days_without=p80_days(alone, per_day),
                    mean_cost_with=float(simulation.cost.mean()),
                    mean_cost_without=float(alone.cost.mean()),
                )
            )
    except SimulationError as exc:
        raise SimulationUnavailable(str(exc)) from None
    summary = summarize(problem, simulation, mitigations, deterministic=result)
    if charts is not None:
        days = (simulation.finish_w - simulation.start_w) / problem.minutes_per_day
        write_charts(summary, days, charts)
    return summary


def _number(value: float) -> int | float:
    """Whole numbers as ints, others to three decimals, as every JSON output of techpm."""
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded


def simulation_json(summary: SimulationSummary) -> dict[str, Any]:
    """The summary as `techpm simulate --format json` prints it and a simulation job stores it."""
    return {
        "iterations": summary.iterations,
        "finish": {k: v.date().isoformat() for k, v in summary.finish.items()},
        "finish_working_days": summary.finish_working_days,
        "cost": {k: round(v, 2) for k, v in summary.cost.items()},
        "deadlines": {k: _number(v) for k, v in summary.deadlines.items()},
        "risks": {r.id: _number(r.occurred) for r in summary.risks},
        "risk_sensitivity": [
            {
                "id": r.id,
                "occurred": _number(r.occurred),
                "finish_delta_days": _number(r.finish_delta_days),
            }
            for r in summary.risks
        ],
        "milestones": {
            task_id: {k: v.date().isoformat() for k, v in dates.items()}
            for task_id, dates in summary.milestones.items()
        },
        "mitigations": [
            {
                "id": m.id,
                "p80_working_days_with": _number(m.p80_days_with),
                "p80_working_days_without": _number(m.p80_days_without),
                "mean_cost_with": round(m.mean_cost_with, 2),
                "mean_cost_without": round(m.mean_cost_without, 2),
            }
            for m in summary.mitigations
        ],
        "tasks": [
            {
                "id": t.id,
                "criticality": _number(t.criticality),
                "sensitivity": _number(t.sensitivity),
            }
            for t in summary.tasks
        ],
    }
