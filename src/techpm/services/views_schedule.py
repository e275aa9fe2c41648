"""The schedule and a task's explanation as the JSON documents `techpm schedule --format json`
and `techpm explain --format json` print: built here, so the CLI and the server's computed
endpoints give the same bytes for the same plan and options."""

from __future__ import annotations

import json
from typing import Any, cast

from techpm.domain.errors import TaskNotFoundError, TechpmError
from techpm.domain.project import Project
from techpm.interop import json_text
from techpm.interop.gc_pause import paused_gc
from techpm.scheduling.explain import Explanation
from techpm.scheduling.result import Schedule, TaskSchedule
from techpm.services.planning import LevelEngine, explain_plan_task, schedule_plan

JSON = "application/json"
ENGINES = ("auto", "heuristic", "cpsat")


class UnknownEngineError(TechpmError):
    code = "schedule.unknown_engine"


def number(value: float) -> int | float:
    """Whole numbers as ints, others to three decimals, for readable JSON."""
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded


def json_bytes(data: Any) -> bytes:
    """What `emit_json` prints: indented by two, non-ASCII kept, a final newline."""
    return (json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8")


def level_engine(engine: str) -> LevelEngine:
    if engine not in ENGINES:
        raise UnknownEngineError(f"unknown leveling engine {engine!r}: use {', '.join(ENGINES)}")
    return cast(LevelEngine, engine)


def schedule_view(
    project: Project, *, level: bool | None, engine: str = "auto", time_limit: float = 5.0
) -> tuple[bytes, str]:
    """`techpm schedule PLAN --format json` for one plan."""
    chosen = level_engine(engine)
    with paused_gc():  # a large plan: many live objects, no cycles
        result = schedule_plan(project, level=level, engine=chosen, time_limit=time_limit)
        text = schedule_document(result)
    return text.encode("utf-8"), JSON


def explain_view(
    project: Project,
    task_id: str,
    *,
    level: bool | None,
    engine: str = "auto",
    time_limit: float = 5.0,
) -> tuple[bytes, str]:
    """`techpm explain PLAN TASK --format json`; an unknown task raises task.not_found."""
    chosen = level_engine(engine)
    if task_id not in project.task_by_id:  # before scheduling: no work for a bad id
        raise TaskNotFoundError(f"no task {task_id!r} in this plan")
    result = schedule_plan(project, level=level, engine=chosen, time_limit=time_limit)
    return json_bytes(explanation_json(explain_plan_task(result, task_id))), JSON


def schedule_document(result: Schedule) -> str:
    """The schedule's JSON text: outer levels indented, a line per task."""
    return json_text.dumps(schedule_json(result)) + "\n"


def task_json(result: Schedule, row: TaskSchedule) -> dict[str, Any]:
    task = result.problem.project.task_by_id[row.id]
    return {
        "id": row.id,
        "name": row.name,
        "wbs": row.wbs,
        "parent": task.parent,
        "summary": row.summary,
        "milestone": row.milestone,
        "duration": _days(result, row.duration_minutes),
        "start": row.start.isoformat(),
        "finish": row.finish.isoformat(),
        "late_start": row.late_start.isoformat(),
        "late_finish": row.late_finish.isoformat(),
        "total_float": _days(result, row.total_float_minutes),
        "free_float": _days(result, row.free_float_minutes),
        "critical": row.critical,
        "percent_complete": number(row.percent_complete),
        "assignments": [
            {"resource": resource, "units": number(units)}
            for resource, units in bookings(result, row.id)
        ],
    }


def _days(result: Schedule, minutes: int) -> int | float:
    return number(minutes / result.minutes_per_day)


def bookings(result: Schedule, task_id: str) -> list[tuple[str, float]]:
    j = result.problem.index.get(task_id)
    return [] if j is None else list(result.bookings[j])


def leveling_json(result: Schedule) -> dict[str, Any] | None:
    info = result.leveling
    if info is None:
        return None
    per_day = result.minutes_per_day
    return {
        "engine": info.engine,
        "produced_by": info.produced_by,
        "optimal": info.optimal,
        "makespan": number(info.makespan_minutes / per_day),
        "lower_bound": number(info.lower_bound_minutes / per_day),
        "period_minutes": info.period_minutes,
        "seconds": number(info.seconds),
        "choices": [
            {
                "task": c.task_id,
                "skill": c.skill,
                "level": c.level,
                "chosen": [{"resource": r, "units": number(u)} for r, u in c.chosen],
                "reason": c.reason,
            }
            for c in info.choices
        ],
    }


def schedule_json(result: Schedule) -> dict[str, Any]:
    project = result.problem.project
    return {
        "project": {
            "name": project.info.name,
            "start": result.start.isoformat(),
            "finish": result.finish.isoformat(),
            "calendar": project.info.calendar,
            "currency": project.info.currency,
            "tasks": len(project.tasks),
            "critical_paths": result.critical_paths,
            "leveling": leveling_json(result),
        },
        "tasks": [task_json(result, row) for row in result.rows],
        "constraints": [
            {"task": c.task_id, "type": c.kind, "date": c.on.isoformat(), "holds": c.holds}
            for c in result.constraint_checks
        ],
        "diagnostics": [
            {
                "code": d.code,
                "severity": d.severity.value,
                "message": d.message,
                "subjects": list(d.subjects),
            }
            for d in result.diagnostics
        ],
    }


def explanation_json(explanation: Explanation) -> dict[str, Any]:
    return {
        "task": explanation.task_id,
        "summary_of": explanation.summary_of,
        "steps": [
            {
                "task": step.task_id,
                "name": step.task_name,
                "start": step.start.isoformat(),
                "kind": step.kind,
                "reason": step.reason,
                "predecessor": step.predecessor,
                "link_type": step.link_type,
                "lag_minutes": step.lag_minutes,
                "waits": [{"date": w.day.isoformat(), "reason": w.reason} for w in step.waits],
                "also_driving": list(step.also_driving),
            }
            for step in explanation.steps
        ],
    }
