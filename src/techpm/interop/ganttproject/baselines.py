"""GanttProject's saved <previous-tasks> sets as baselines in the shape `techpm baseline` saves."""

from __future__ import annotations

import re
from typing import Any

from techpm.interop.ganttproject.source import Source, slug
from techpm.interop.ganttproject.tasks import TaskTable


def read_baselines(source: Source, table: TaskTable) -> dict[str, dict[str, Any]]:
    """Each <previous-tasks> set in the shape `techpm baseline` saves (dates at 09:00-17:00)."""
    found: dict[str, dict[str, Any]] = {}
    for n, el in enumerate(source.root.findall("previous/previous-tasks"), start=1):
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", el.get("name", "").strip()).strip("-")
        name = (name or f"baseline-{n}")[:64]
        tasks: dict[str, Any] = {}
        for item in el.findall("previous-task"):
            start = source.date_of(item, "start")
            days = int(source.number(item, "duration"))
            milestone = item.get("meeting") == "true"
            finish = start if milestone else table.days.finish(start, days)
            gid = item.get("id", "")
            tasks[table.tasks[gid]["id"] if gid in table.tasks else slug(f"t{gid}")] = {
                "start": f"{start.isoformat()}T09:00:00",
                "finish": f"{finish.isoformat()}T{'09' if milestone else '17'}:00:00",
                "duration_days": 0 if milestone else days,
                "work_hours": 0.0,
                "cost": "0",
                "milestone": milestone,
                "finished": False,
            }
        if not tasks:
            continue
        first = min(t["start"] for t in tasks.values())
        found[name] = {
            "name": name,
            "taken_at": first,
            "project": {
                "start": first,
                "finish": max(t["finish"] for t in tasks.values()),
                "bac": "0.00",
            },
            "tasks": tasks,
            "risks": {},
        }
    return found
