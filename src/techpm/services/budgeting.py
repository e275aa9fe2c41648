"""The budget of a plan: what it costs, when, and with which reserves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from techpm.domain.project import Project
from techpm.domain.resource import RateUnit
from techpm.evm.timephase import CENT, Period, budget_at_completion, phased, planned_costs
from techpm.scheduling.result import Schedule
from techpm.scheduling.timeline import Timeline
from techpm.services.planning import LevelEngine, schedule_plan


@dataclass(frozen=True)
class NeedCost:
    """Who fills a skill need, and what their work on it costs (at their own rate)."""

    task_id: str
    skill: str
    resource_id: str
    units: float
    cost: Decimal


@dataclass(frozen=True)
class Budget:
    schedule: Schedule
    periods: list[Period]
    by_task: dict[str, Decimal]  # budget at completion of each task and summary
    bac: Decimal
    contingency: Decimal
    management_reserve: Decimal
    needs: tuple[NeedCost, ...] = ()

    @property
    def cost_baseline(self) -> Decimal:
        return self.bac + self.contingency

    @property
    def total(self) -> Decimal:
        return self.cost_baseline + self.management_reserve


def plan_budget(
    plan: Project | str | Path,
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
        needs=tuple(need_costs(result)),
    )


def need_costs(schedule: Schedule) -> list[NeedCost]:
    """The people booked on each skill need (beyond the task's named assignments), priced
    as the budget prices them: working minutes per day times units times the day's rate."""
    problem = schedule.problem
    project = problem.project
    hours_per_day = Decimal(project.units.minutes_per_day) / 60
    out = []
    for j, task_id in enumerate(problem.ids):
        task = project.task_by_id[task_id]
        if not task.needs:
            continue
        named = {a.resource for a in task.assignments}
        filled = [(r, u) for r, u in schedule.bookings[j] if r not in named]
        tl = problem.timelines[problem.calendar_idx[j]]
        days = _minutes_per_day(tl, schedule.early_start_at[j], schedule.early_finish_at[j])
        for resource_id, units in filled:
            resource = project.resource_by_id[resource_id]
            cost = Decimal(0)
            for day, minutes in days:
                rate = resource.rate_on(day)
                if rate is not None:
                    hourly = (
                        rate.amount if rate.per is RateUnit.HOUR else rate.amount / hours_per_day
                    )
                    cost += hourly * Decimal(str(units)) * Decimal(minutes) / 60
            skill = next(
                (n.skill for n in task.needs if resource.skill_levels.get(n.skill, 0) >= n.level),
                task.needs[0].skill,
            )
            out.append(NeedCost(task_id, skill, resource_id, units, cost.quantize(CENT)))
    return out


def _minutes_per_day(tl: Timeline, start: int, finish: int) -> list[tuple[date, int]]:
    out = []
    midnight = (start // 1440) * 1440
    while midnight < finish:
        worked = tl.to_work(min(finish, midnight + 1440)) - tl.to_work(max(start, midnight))
        if worked > 0:
            out.append((tl.day_of(midnight), worked))
        midnight += 1440
    return out
