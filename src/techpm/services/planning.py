"""Load, check, schedule and explain a plan: the use cases behind the CLI and the Python API."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Literal

from techpm.domain.errors import InvalidPlanError, Problem, TaskNotFoundError
from techpm.domain.project import Project
from techpm.interop.holidays import public_holidays
from techpm.interop.planfile.loader import LoadedPlan, load_plan_file
from techpm.interop.planfile.source import SourceMap
from techpm.scheduling.assignment import with_needs_filled
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.explain import Explanation, explain_task
from techpm.scheduling.feasibility import absence_diagnostics
from techpm.scheduling.leveled import level_schedule
from techpm.scheduling.network import DependencyCycleError
from techpm.scheduling.problem import ScheduleProblem, compile_problem
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
    level: bool | None = None,
    engine: LevelEngine = "auto",
    time_limit: float = 5.0,
) -> Schedule:
    """Early and late dates, floats and the critical path of a plan (or a plan file); with
    `level`, resource-leveled dates that never book anyone over capacity. `level=None`
    follows the plan's `project: {level: ...}`."""
    if isinstance(plan, Project):
        result = _schedule(plan, None)
    else:
        loaded: LoadedPlan = load_plan_file(plan)
        result = _schedule(loaded.project, loaded.source_map)
    return level_as_asked(result, level, engine=engine, time_limit=time_limit)


def wants_level(project: Project, level: bool | None) -> bool:
    """`--level` / `--no-level` when given, else the plan's own setting."""
    return project.info.level if level is None else level


def level_as_asked(
    result: Schedule,
    level: bool | None,
    *,
    engine: LevelEngine = "auto",
    time_limit: float = 5.0,
) -> Schedule:
    """The schedule itself, or leveled when `level` (or the plan, for None) asks for it."""
    if not wants_level(result.problem.project, level):
        return result
    if engine == "auto":
        engine = "cpsat" if result.problem.size <= AUTO_CPSAT_TASKS else "heuristic"
    return flag_absences(level_schedule(result, engine=engine, time_limit=time_limit))


def flag_absences(schedule: Schedule) -> Schedule:
    """The schedule's diagnostics with a `resource.away` warning per booking made while the
    person is away (replacing any carried over from an earlier schedule)."""
    kept = tuple(d for d in schedule.diagnostics if d.code != "resource.away")
    return replace(schedule, diagnostics=kept + tuple(absence_diagnostics(schedule)))


def explain_plan_task(schedule: Schedule, task_id: str) -> Explanation:
    if task_id not in schedule.problem.project.task_by_id:
        raise TaskNotFoundError(f"no task {task_id!r} in this plan")
    return explain_task(schedule, task_id)


def schedule_loaded(
    plan: LoadedPlan | Project,
    *,
    level: bool | None = False,
    engine: LevelEngine = "auto",
    time_limit: float = 5.0,
) -> Schedule:
    """Schedule a plan already read (with its source map, to locate a cycle); unleveled
    unless `level` says so (None: as the plan says)."""
    if isinstance(plan, Project):
        result = _schedule(plan, None)
    else:
        result = _schedule(plan.project, plan.source_map)
    return level_as_asked(result, level, engine=engine, time_limit=time_limit)


def compiled_network(project: Project, source: SourceMap | None = None) -> ScheduleProblem:
    """The plan as the scheduler sees it; a loop among its links is a plan problem, pointed
    at where `source` has the first task of the loop (as `techpm check` reports it)."""
    try:
        return compile_problem(project, public_holidays)
    except DependencyCycleError as exc:
        where = source.of_task(exc.cycle[0], "after") if source and exc.cycle else None
        raise InvalidPlanError([Problem(exc.code, exc.message, where)]) from None


def _schedule(project: Project, source: SourceMap | None) -> Schedule:
    problem = compiled_network(project, source)
    return flag_absences(with_needs_filled(schedule_problem(problem)))
