"""A GanttProject .gan file as a plan-file mapping.

GanttProject keeps a task where it was placed unless a strong link moves it, so a task's
start becomes a start-no-earlier-than constraint only where no strong link positions it.
Durations and lags are GanttProject working days on the file's own week and holidays.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from techpm.interop.exchange import ImportResult, counted_phrase, fail
from techpm.interop.ganttproject.baselines import read_baselines
from techpm.interop.ganttproject.calendars import WorkDays, calendar_doc, read_workdays
from techpm.interop.ganttproject.links import constrain, read_links
from techpm.interop.ganttproject.resources import read_allocations, read_resources
from techpm.interop.ganttproject.source import Source, parse_xml, slug
from techpm.interop.ganttproject.tasks import MAX_DEPTH, TaskTable, read_tasks

__all__ = ["WorkDays", "parse_xml", "read_gan", "slug"]

KEY_ORDER = (
    "id",
    "name",
    "duration",
    "milestone",
    "after",
    "constraint",
    "percent_complete",
    "priority",
    "owner",
    "notes",
    "assign",
    "refs",
    "children",
)


def read_gan(path: Path) -> ImportResult:
    root = parse_xml(path)
    if root.tag != "project":
        raise fail(path, f"<{root.tag}>", "not a GanttProject file: the root must be <project>")
    try:
        return _read(Source(path, root))
    except RecursionError:
        raise fail(path, "<tasks>", f"tasks nest more than {MAX_DEPTH} levels deep") from None


def _read(source: Source) -> ImportResult:
    table = TaskTable(read_workdays(source))
    tops = read_tasks(source, table)
    read_links(source, table)
    resources = read_resources(source)
    read_allocations(source, table, resources)
    first = min((table.days.next_working(d) for d in table.starts.values()), default=None)
    start = first or _fallback_start(source)
    constrain(source, table, start)
    root = source.root
    project: dict[str, Any] = {"name": root.get("name", "").strip() or source.path.stem}
    project["start"] = start
    description = (root.findtext("description") or "").strip()
    if description:
        project["description"] = description
    finishes = (table.finish(gid) for gid in table.starts)
    document: dict[str, Any] = {
        "project": project,
        "calendars": {"standard": calendar_doc(table.days, start, finishes)},
        "resources": list(resources.values()),
        "tasks": tops,
    }
    skipped = tuple(counted_phrase(n, what) for what, n in source.skipped.items())
    for task in table.tasks.values():
        ordered = sorted(task.items(), key=lambda kv: KEY_ORDER.index(kv[0]))
        task.clear()
        task.update(ordered)
    reference = {
        table.tasks[gid]["id"]: (day.isoformat(), table.finish(gid).isoformat())
        for gid, day in table.starts.items()
    }
    return ImportResult("gan", document, skipped, read_baselines(source, table), reference)


def _fallback_start(source: Source) -> date:
    """A file without tasks: the day its chart was showing, else its first vacation."""
    for el in (source.root, *source.root.iter("vacation")):
        for attr in ("view-date", "start"):
            if el.get(attr):
                return source.date_of(el, attr)
    raise fail(source.path, "<tasks>", "no task and no date to start the project from")
