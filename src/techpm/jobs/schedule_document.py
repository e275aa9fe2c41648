"""A schedule as the JSON document `techpm schedule --format json` prints for one plan: what a
leveling job stores. It mirrors `techpm.cli.schedule.schedule_json`, which sits above this
layer; a test holds the two equal until the CLI builds its document from this one."""

from __future__ import annotations

from typing import Any

from techpm.scheduling.result import Schedule, TaskSchedule


def _number(value: float) -> int | float:
    """Whole numbers as ints, others to three decimals, as every JSON output of techpm."""
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded


def _days(result: Schedule, minutes: int) -> int | float:
    return _number(minutes / result.minutes_per_day)


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
        "percent_complete": _number(row.percent_complete),
        "assignments": [
            {"resource": resource, "units": _number(units)}
            for resource, units in bookings(result, row.id)
        ],
    }


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
        "makespan": _number(info.makespan_minutes / per_day),
        "lower_bound": _number(info.lower_bound_minutes / per_day),
        "period_minutes": info.period_minutes,
        "seconds": _number(info.seconds),
        "choices": [
            {
                "task": c.task_id,
                "skill": c.skill,
                "level": c.level,
                "chosen": [{"resource": r, "units": _number(u)} for r, u in c.chosen],
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
