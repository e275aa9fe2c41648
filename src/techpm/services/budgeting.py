"""The budget of a plan: what it costs, when, and with which reserves."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from techpm.evm.timephase import CENT, Period, budget_at_completion, phased, planned_costs
from techpm.scheduling.result import Schedule
from techpm.services.planning import LevelEngine, schedule_plan


@dataclass(frozen=True)
class Budget:
    schedule: Schedule
    periods: list[Period]
    by_task: dict[str, Decimal]  # budget at completion of each task and summary
    bac: Decimal
    contingency: Decimal
    management_reserve: Decimal

    @property
    def cost_baseline(self) -> Decimal:
        return self.bac + self.contingency

    @property
    def total(self) -> Decimal:
        return self.cost_baseline + self.management_reserve


def plan_budget(
    plan: str | Path,
    *,
    by: str = "week",
    level: bool | None = None,
    engine: LevelEngine = "auto",
    time_limit: float = 5.0,
) -> Budget:
    result = schedule_plan(plan, level=level, engine=engine, time_limit=time_limit)
    entries = planned_costs(result)
    leaves = budget_at_completion(entries)
    project = result.problem.project
    by_task = {}
    for task in project.tasks:
        by_task[task.id] = sum(
            (leaves.get(leaf, Decimal(0)) for leaf in project.leaves_under(task.id)), Decimal(0)
        ).quantize(CENT)
    bac = sum(leaves.values(), Decimal(0)).quantize(CENT)
    return Budget(
        schedule=result,
        periods=phased(entries, by),
        by_task=by_task,
        bac=bac,
        contingency=project.info.contingency,
        management_reserve=project.info.management_reserve,
    )
