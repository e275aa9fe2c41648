"""Workload of each resource and the staffing the skill needs call for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from techpm.scheduling.load import ResourceLoad, SkillDemand, staffing, workload
from techpm.scheduling.result import Schedule
from techpm.services.planning import LevelEngine, schedule_plan


def plan_workload(
    plan: str | Path,
    *,
    level: bool | None = None,
    engine: LevelEngine = "auto",
    time_limit: float = 5.0,
) -> tuple[Schedule, list[ResourceLoad]]:
    result = schedule_plan(plan, level=level, engine=engine, time_limit=time_limit)
    return result, workload(result)


@dataclass(frozen=True)
class StaffingReport:
    demands: list[SkillDemand]
    finish: datetime  # if every need were staffed at the network's dates
    leveled_finish: datetime  # with the team as it is


def plan_staffing(
    plan: str | Path, *, engine: LevelEngine = "auto", time_limit: float = 5.0
) -> StaffingReport:
    unleveled = schedule_plan(plan, level=False)
    leveled = schedule_plan(plan, level=True, engine=engine, time_limit=time_limit)
    return StaffingReport(staffing(unleveled), unleveled.finish, leveled.finish)
