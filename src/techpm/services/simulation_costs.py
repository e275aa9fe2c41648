"""The budget as the simulation charges it: labour per working minute, the rest as is."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import numpy as np

from techpm.evm.timephase import CENT, budget_at_completion, planned_costs
from techpm.forecasting.cost_basis import CostBasis
from techpm.scheduling.result import Schedule


def budget_basis(schedule: Schedule) -> CostBasis:
    """Every cost `techpm budget` counts on this schedule: each task's labour spread over
    the working minutes it spans (so an iteration re-prices it on its own dates), and
    everything else (fixed costs, procurement) as a constant. Without uncertainty an
    iteration costs the budget at completion."""
    problem = schedule.problem
    project = problem.project
    total = sum(budget_at_completion(planned_costs(schedule)).values(), Decimal(0)).quantize(CENT)
    # labour alone: the same pricing on a plan without fixed costs and items to buy
    bare = replace(
        project,
        procurement=(),
        tasks=tuple(replace(t, fixed_cost=None) if t.fixed_cost else t for t in project.tasks),
    )
    labour = budget_at_completion(
        planned_costs(replace(schedule, problem=replace(problem, project=bare)))
    )
    fallback = CostBasis.of_plan(problem).per_minute
    per_minute = np.zeros(problem.size)
    charged = 0.0
    for j, task_id in enumerate(problem.ids):
        span = schedule.early_finish_w[j] - schedule.early_start_w[j]
        amount = float(labour.get(task_id, 0))
        charged += amount
        per_minute[j] = amount / span if span > 0 else fallback[j]
    return CostBasis(per_minute, float(total) - charged)
