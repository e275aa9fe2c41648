"""Simulate a plan's schedule and cost risk."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from techpm.domain.errors import TechpmError
from techpm.domain.project import Project
from techpm.forecasting.simulation import Progress, SimulationError, simulate
from techpm.forecasting.summary import SimulationSummary, summarize
from techpm.services.planning import schedule_plan


class SimulationUnavailable(TechpmError):
    code = "simulation.unsupported"


def simulate_plan(
    plan: Project | str | Path,
    *,
    iterations: int = 10_000,
    seed: int | None = None,
    progress: Progress | None = None,
) -> SimulationSummary:
    """Percentiles of the finish and cost, deadline odds, criticality and sensitivity."""
    result = schedule_plan(plan)
    rng = np.random.default_rng(seed)
    try:
        simulation = simulate(
            result.problem, iterations, rng, progress=progress, keep_durations=True
        )
    except SimulationError as exc:
        raise SimulationUnavailable(str(exc)) from None
    return summarize(result.problem, simulation)
