"""Check that a schedule (computed now, or read from a JSON file) can be carried out."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from techpm.domain.errors import PlanFileError
from techpm.scheduling.feasibility import Breach, check, check_schedule
from techpm.scheduling.result import Schedule
from techpm.services.planning import LevelEngine, schedule_plan


def verify_plan(
    plan: str | Path,
    *,
    schedule_file: str | Path | None = None,
    level: bool | None = None,
    engine: LevelEngine = "auto",
    time_limit: float = 5.0,
) -> tuple[Schedule, list[Breach]]:
    if schedule_file is None:
        result = schedule_plan(plan, level=level, engine=engine, time_limit=time_limit)
        return result, check(result)
    result = schedule_plan(plan, level=False)
    starts, finishes, bookings = _read_schedule(result, Path(schedule_file))
    return result, check_schedule(result.problem, starts, finishes, bookings)


def _read_schedule(
    result: Schedule, path: Path
) -> tuple[list[int], list[int], list[list[tuple[str, float]]]]:
    """Dates and bookings per leaf from `techpm schedule --format json` output."""
    problem = result.problem
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        rows = {row["id"]: row for row in data["tasks"]}
    except FileNotFoundError:
        raise PlanFileError(f"{path}: no such file", code="schedule.not_found") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PlanFileError(
            f"{path}: not a schedule from `techpm schedule --format json` ({exc})",
            code="schedule.bad_file",
        ) from None
    epoch = datetime.combine(problem.epoch, datetime.min.time())
    starts, finishes, bookings = [], [], []
    for task_id in problem.ids:
        row = rows.get(task_id)
        if row is None:
            raise PlanFileError(f"{path}: task {task_id!r} is missing", code="schedule.bad_file")
        try:
            start = datetime.fromisoformat(row["start"])
            finish = datetime.fromisoformat(row["finish"])
            booked = [(a["resource"], float(a["units"])) for a in row.get("assignments", [])]
        except (KeyError, TypeError, ValueError) as exc:
            raise PlanFileError(
                f"{path}: task {task_id!r}: {exc}", code="schedule.bad_file"
            ) from None
        starts.append(int((start - epoch).total_seconds() // 60))
        finishes.append(int((finish - epoch).total_seconds() // 60))
        bookings.append(booked)
    return starts, finishes, bookings
