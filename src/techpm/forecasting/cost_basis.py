"""What the simulation charges per iteration: the budget's costs, split by what moves them.

Labour grows with the working time a task spans in an iteration; fixed costs and procured
items do not depend on durations. The caller that has the budget (the services) derives
both from it, so that an iteration without uncertainty costs exactly the budget at
completion; `of_plan` is the engine's own estimate for callers without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from techpm.domain.procurement import Item
from techpm.domain.project import Project
from techpm.scheduling.problem import ScheduleProblem

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class CostBasis:
    per_minute: Floats  # per leaf task: labour cost of one working minute it spans
    constant: float  # fixed costs, procurement and anything else durations do not move

    def labour(self, es: npt.NDArray[Any], ef: npt.NDArray[Any]) -> Floats:
        """Labour per iteration from each task's early start and finish (tasks x iterations)."""
        charged = np.flatnonzero(self.per_minute)
        if not charged.size:
            return np.zeros(es.shape[1])
        span = ef[charged].astype(np.float64) - es[charged]
        out: Floats = self.per_minute[charged] @ span
        return out

    @staticmethod
    def of_plan(problem: ScheduleProblem) -> CostBasis:
        """Named resources at their first rate, fixed costs and procured items."""
        project = problem.project
        per_day = project.units.minutes_per_day
        per_minute = np.zeros(problem.size)
        for j, task_id in enumerate(problem.ids):
            for assignment in project.task_by_id[task_id].assignments:
                resource = project.resource_by_id.get(assignment.resource)
                if resource is None or resource.rate is None:
                    continue
                minutes = 60 if resource.rate.per.value == "h" else per_day
                per_minute[j] += float(resource.rate.amount) * assignment.units / minutes
        fixed = sum(
            (project.task_by_id[t].fixed_cost or Decimal(0) for t in problem.ids), Decimal(0)
        )
        return CostBasis(per_minute, float(fixed + procured(project)))


def procured(project: Project) -> Decimal:
    """What the items to buy cost, as the budget counts them (cancelled ones not)."""
    return sum((item.cost for item in project.procurement if _counts(item)), Decimal(0))


def _counts(item: Item) -> bool:
    return item.status.value != "cancelled" and bool(item.cost)
