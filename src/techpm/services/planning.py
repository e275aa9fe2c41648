"""Load, check, schedule and explain a plan: the use cases behind the CLI and the Python API."""

from __future__ import annotations

from pathlib import Path

from techpm.domain.errors import InvalidPlanError, Problem, TaskNotFoundError
from techpm.domain.project import Project
from techpm.interop.holidays import public_holidays
from techpm.interop.planfile.loader import LoadedPlan, SourceMap, load_plan_file
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.explain import Explanation, explain_task
from techpm.scheduling.network import DependencyCycleError
from techpm.scheduling.problem import compile_problem
from techpm.scheduling.result import Schedule


def load_plan(path: str | Path) -> Project:
    """Read and validate a plan file; raises InvalidPlanError listing every problem found."""
    return load_plan_file(path).project


def check_plan(path: str | Path) -> Schedule:
    """Everything `load_plan` checks plus what only scheduling finds (cycles)."""
    loaded = load_plan_file(path)
    return _schedule(loaded.project, loaded.source_map)


def schedule_plan(plan: Project | str | Path) -> Schedule:
    """Early and late dates, floats and the critical path of a plan (or a plan file)."""
    if isinstance(plan, Project):
        return _schedule(plan, None)
    loaded: LoadedPlan = load_plan_file(plan)
    return _schedule(loaded.project, loaded.source_map)


def explain_plan_task(schedule: Schedule, task_id: str) -> Explanation:
    if task_id not in schedule.problem.project.task_by_id:
        raise TaskNotFoundError(f"no task {task_id!r} in this plan")
    return explain_task(schedule, task_id)


def _schedule(project: Project, source: SourceMap | None) -> Schedule:
    try:
        problem = compile_problem(project, public_holidays)
    except DependencyCycleError as exc:
        where = source.of_task(exc.cycle[0], "after") if source and exc.cycle else None
        raise InvalidPlanError([Problem(exc.code, exc.message, where)]) from None
    return schedule_problem(problem)
