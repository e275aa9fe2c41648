"""Load, check, schedule and explain a plan: the use cases behind the CLI and the Python API."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from techpm.domain.errors import InvalidPlanError, Problem, TaskNotFoundError
from techpm.domain.project import Project
from techpm.interop.holidays import public_holidays
from techpm.interop.planfile.loader import LoadedPlan, load_plan_file
from techpm.interop.planfile.source import SourceMap
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.explain import Explanation, explain_task
from techpm.scheduling.leveled import level_schedule
from techpm.scheduling.network import DependencyCycleError
from techpm.scheduling.problem import compile_problem
from techpm.scheduling.result import Schedule

LevelEngine = Literal["auto", "heuristic", "cpsat"]
AUTO_CPSAT_TASKS = 3_000  # above this, the heuristic alone: CP-SAT models grow too large


def load_plan(path: str | Path) -> Project:
    """Read and validate a plan file; raises InvalidPlanError listing every problem found."""
    return load_plan_file(path).project


def check_plan(path: str | Path) -> Schedule:
    """Everything `load_plan` checks plus what only scheduling finds (cycles)."""
    loaded = load_plan_file(path)
    return _schedule(loaded.project, loaded.source_map)


def schedule_plan(
    plan: Project | str | Path,
    *,
    level: bool = False,
    engine: LevelEngine = "auto",
    time_limit: float = 5.0,
) -> Schedule:
    """Early and late dates, floats and the critical path of a plan (or a plan file); with
    `level`, resource-leveled dates that never book anyone over capacity."""
    if isinstance(plan, Project):
        result = _schedule(plan, None)
    else:
        loaded: LoadedPlan = load_plan_file(plan)
        result = _schedule(loaded.project, loaded.source_map)
    if not level:
        return result
    if engine == "auto":
        engine = "cpsat" if result.problem.size <= AUTO_CPSAT_TASKS else "heuristic"
    return level_schedule(result, engine=engine, time_limit=time_limit)


def explain_plan_task(schedule: Schedule, task_id: str) -> Explanation:
    if task_id not in schedule.problem.project.task_by_id:
        raise TaskNotFoundError(f"no task {task_id!r} in this plan")
    return explain_task(schedule, task_id)


def schedule_loaded(plan: LoadedPlan | Project) -> Schedule:
    """Schedule a plan already read (with its source map, to locate a cycle)."""
    if isinstance(plan, Project):
        return _schedule(plan, None)
    return _schedule(plan.project, plan.source_map)


def _schedule(project: Project, source: SourceMap | None) -> Schedule:
    try:
        problem = compile_problem(project, public_holidays)
    except DependencyCycleError as exc:
        where = source.of_task(exc.cycle[0], "after") if source and exc.cycle else None
        raise InvalidPlanError([Problem(exc.code, exc.message, where)]) from None
    return schedule_problem(problem)
