"""Without uncertainty, the simulation's passes agree with the deterministic schedule on
random networks with every link type, lags, leads, constraints and actuals."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings

from techpm.domain.project import Project
from techpm.forecasting.simulation import simulate
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.problem import compile_problem
from tests.unit.scheduling.test_properties import networks


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(constraints=True, actuals=True))
def test_simulation_without_uncertainty_is_the_schedule(project: Project) -> None:
    problem = compile_problem(project)
    result = schedule_problem(problem)
    sim = simulate(problem, 5, np.random.default_rng(0))
    tl = problem.timelines[sim.scale]
    assert set(sim.finish_w.tolist()) == {float(tl.to_work(result.finish_minute))}
    expected = [5 if c else 0 for c in result.critical]
    assert sim.critical_count.tolist() == expected
