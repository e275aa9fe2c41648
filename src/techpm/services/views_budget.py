"""The budget and each resource's weekly workload as the JSON documents `techpm budget` and
`techpm workload` print with `--format json`, built once for the CLI and the server."""

from __future__ import annotations

from typing import Any

from techpm.domain.errors import TechpmError
from techpm.domain.project import Project
from techpm.scheduling.load import ResourceLoad, workload
from techpm.services.budgeting import Budget, plan_budget
from techpm.services.planning import schedule_plan
from techpm.services.views_schedule import JSON, json_bytes, level_engine, number

PERIODS = ("day", "week", "month")


def workload_view(
    project: Project, *, level: bool | None, engine: str = "auto", time_limit: float = 5.0
) -> tuple[bytes, str]:
    """`techpm workload PLAN --format json`."""
    result = schedule_plan(project, level=level, engine=level_engine(engine), time_limit=time_limit)
    return json_bytes({"resources": workload_json(workload(result))}), JSON


def budget_view(
    project: Project,
    *,
    level: bool | None,
    by: str = "week",
    engine: str = "auto",
    time_limit: float = 5.0,
) -> tuple[bytes, str]:
    """`techpm budget PLAN --format json`; `by` is day, week or month."""
    if by not in PERIODS:
        raise TechpmError(
            f"unknown period {by!r}: use day, week or month", code="budget.bad_period"
        )
    result = plan_budget(
        project, by=by, level=level, engine=level_engine(engine), time_limit=time_limit
    )
    return json_bytes(budget_json(result)), JSON


def workload_json(loads: list[ResourceLoad]) -> list[dict[str, Any]]:
    return [
        {
            "resource": load.resource.id,
            "name": load.resource.name,
            "weeks": [
                {
                    "week": week.start.isoformat(),
                    "booked_hours": number(week.booked_minutes / 60),
                    "available_hours": number(week.available_minutes / 60),
                    "allocation": number(week.allocation) if week.available_minutes else None,
                    "over_allocated": week.over,
                }
                for week in load.weeks
            ],
        }
        for load in loads
    ]


def budget_json(result: Budget) -> dict[str, Any]:
    return {
        "currency": result.schedule.problem.project.info.currency,
        "bac": str(result.bac),
        "contingency": str(result.contingency),
        "cost_baseline": str(result.cost_baseline),
        "management_reserve": str(result.management_reserve),
        "total_budget": str(result.total),
        "tasks": {k: str(v) for k, v in result.by_task.items()},
        "skill_needs": [
            {
                "task": n.task_id,
                "skill": n.skill,
                "resource": n.resource_id,
                "units": number(n.units),
                "cost": str(n.cost),
            }
            for n in result.needs
        ],
        "periods": [
            {
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "accounts": {k: str(v) for k, v in p.by_account.items()},
                "planned_value": str(p.total),
                "cumulative": str(p.cumulative),
            }
            for p in result.periods
        ],
    }
