"""The task CSV export: a scheduled project's tasks as rows, lists joined by semicolons."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from techpm.domain.units import format_duration
from techpm.interop.csv_tasks.columns import COLUMNS
from techpm.interop.planfile.dump import days_text, task_entries
from techpm.scheduling.result import Schedule


def write_csv(schedule: Schedule, path: Path) -> None:
    project = schedule.problem.project
    units = project.units
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for (task, entry), row in zip(task_entries(project), schedule.rows, strict=True):
        cells = {
            **{key: _text(value) for key, value in entry.items()},
            "parent": task.parent or "",
            "wbs": row.wbs,
            "start": _stamp(row.start),
            "finish": _stamp(row.finish),
            "total_float": days_text(row.total_float_minutes, schedule.minutes_per_day),
            "critical": "true" if row.critical else "",
            "milestone": "true" if task.milestone else "",
            # always written: skill needs, which the file cannot hold, may have implied it
            "duration": ""
            if task.duration_minutes is None
            else format_duration(task.duration_minutes, units),
            "after": ";".join(_link_text(link) for link in entry.get("after", [])),
            "constraint": ";".join(f"{c['type']} {c['date']}" for c in _listed(entry)),
            "assign": ";".join(f"{a['resource']}:{a['units']}" for a in entry.get("assign", [])),
            "tags": ";".join(entry.get("tags", [])),
            "refs": ";".join(f"{k}:{v}" for k, v in entry.get("refs", {}).items()),
            "estimate": _estimate_text(entry.get("estimate")),
        }
        writer.writerow([cells.get(column, "") for column in COLUMNS])
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def _text(value: Any) -> str:
    return "" if isinstance(value, list | dict) else str(value)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="minutes")


def _link_text(link: str | dict[str, Any]) -> str:
    if isinstance(link, str):
        return link
    lag = link.get("lag", "")
    return f"{link['task']} {link['type']}{'' if lag.startswith('-') or not lag else '+'}{lag}"


def _listed(entry: dict[str, Any]) -> list[dict[str, Any]]:
    found = entry.get("constraint")
    return found if isinstance(found, list) else [found] if found else []


def _estimate_text(estimate: dict[str, Any] | None) -> str:
    if not estimate:
        return ""
    text = "/".join(estimate[key] for key in ("optimistic", "likely", "pessimistic"))
    return text if estimate["distribution"] == "pert" else f"{text} {estimate['distribution']}"
