"""Read an MS Project XML (MSPDI) file into a plan-file mapping, with MS Project's own dates
as a reference and its baselines in techpm's baseline shape."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from techpm.interop.exchange import ImportResult, fail
from techpm.interop.msproject.baselines_in import read_baselines
from techpm.interop.msproject.calendar_model import MS_WEEK, week_entry
from techpm.interop.msproject.calendars_in import read_calendars
from techpm.interop.msproject.carried_in import (
    carries_data,
    item_data,
    project_data,
    summary_element,
    values,
)
from techpm.interop.msproject.carried_restore import restore_items, restore_plan
from techpm.interop.msproject.durations import TimeUnits
from techpm.interop.msproject.links_in import read_links
from techpm.interop.msproject.records import Record
from techpm.interop.msproject.resources_in import (
    follow_resource_calendars,
    read_assignments,
    read_resources,
)
from techpm.interop.msproject.skipped import Skipped
from techpm.interop.msproject.splits import HoursOn
from techpm.interop.msproject.tasks_in import fill_tasks, nest, read_tasks
from techpm.interop.msproject.xml_source import Source, parse_mspdi, paused_gc

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_SYMBOLS = {"£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "CHF": "CHF"}
DEFAULT_CALENDAR = "standard"


def read_mspdi(path: Path, format_name: str = "mspdi") -> ImportResult:
    source = parse_mspdi(path)
    with paused_gc():
        return _read(source, path, format_name)


def _read(source: Source, path: Path, format_name: str) -> ImportResult:
    project = Record(source.root, source, "Project")
    skipped = Skipped()
    units = TimeUnits(
        minutes_per_day=project.integer("MinutesPerDay") or 480,
        minutes_per_week=project.integer("MinutesPerWeek") or 2400,
        days_per_month=project.integer("DaysPerMonth") or 20,
    )
    sections = _sections(source)
    carried = carries_data(source)
    data: dict[str, Any] = {}
    if carried:
        summary = summary_element(source, sections.get("Tasks", []))
        if summary is not None:
            data = project_data(item_data(values(summary), "task", "the project", skipped), skipped)
    calendars = read_calendars(
        source, sections.get("Calendars", []), skipped, data.get("calendars") or None
    )
    project_calendar = _project_calendar(project, calendars.ids, calendars.calendars)
    if not calendars.calendars:
        calendars.calendars[DEFAULT_CALENDAR] = week_entry(MS_WEEK, None)
        calendars.weeks[DEFAULT_CALENDAR] = MS_WEEK
        project_calendar = DEFAULT_CALENDAR
    week = calendars.weeks.get(project_calendar, MS_WEEK)
    day_minutes = max((sum(e - s for s, e in day) for day in week), default=0) or 480
    if day_minutes != units.minutes_per_day:
        skipped.say(
            f"MS Project counts a day as {units.minutes_per_day} minutes but the project "
            f"calendar's working day is {day_minutes}: durations keep their working time"
        )
    found = read_tasks(source, sections.get("Tasks", []), skipped, carried=carried)
    fill_tasks(found, units, day_minutes, calendars.ids, skipped)
    read_links(found, units, day_minutes, skipped)
    resources = read_resources(
        source,
        sections.get("Resources", []),
        calendars.ids,
        project_calendar,
        day_minutes,
        skipped,
        carried=carried,
    )

    def hours_on(cal_id: str | None) -> HoursOn:
        return calendars.hours_on(cal_id or project_calendar)

    assignments = sections.get("Assignments", [])
    read_assignments(source, assignments, found, resources, hours_on, skipped)
    follow_resource_calendars(found, resources, project_calendar, skipped)
    if carried:
        restore_items(found, resources, calendars, data, project_calendar, skipped)
    used = {project_calendar}
    used |= {str(t.fields["calendar"]) for t in found.tasks.values() if "calendar" in t.fields}
    used |= {str(r.fields["calendar"]) for r in resources.values() if "calendar" in r.fields}
    calendars.drop_unused(used)
    starts = [t.start for t in found.tasks.values() if t.start is not None]
    start = (
        project.moment("StartDate")
        or (found.summary.moment("Start") if found.summary else None)
        or min(starts, default=None)
    )
    if start is None:
        raise fail(path, "Project", "the file gives no project start date (<StartDate>)")
    info = _project(project, found.summary, project_calendar, start, path, skipped)
    document: dict[str, Any] = {
        "project": info,
        "calendars": calendars.calendars,
        "resources": [r.fields for r in resources.values()],
        "tasks": nest(found),
    }
    if carried:
        restore_plan(document, info, calendars, data, skipped)
    reference = {
        task.id: (task.start.isoformat(), task.finish.isoformat())
        for task in found.tasks.values()
        if task.start is not None and task.finish is not None
    }
    taken_at = project.moment("LastSaved") or project.moment("CreationDate") or start
    baselines = read_baselines(found, day_minutes, taken_at)
    return ImportResult(
        format=format_name,
        document=document,
        skipped=skipped.messages(),
        baselines=baselines,
        reference_dates=reference,
    )


def _sections(source: Source) -> dict[str, list[Element]]:
    """The records of each collection (Calendars, Tasks ...), in file order."""
    out: dict[str, list[Element]] = {}
    for child in source.root:
        tag = child.tag[child.tag.find("}") + 1 :]
        if tag in ("Calendars", "Tasks", "Resources", "Assignments"):
            out.setdefault(tag, []).extend(child)
    return out


def _project_calendar(project: Record, ids: dict[int, str], calendars: dict[str, Any]) -> str:
    uid = project.integer("CalendarUID")
    if uid is not None and uid in ids:
        return ids[uid]
    if DEFAULT_CALENDAR in calendars:
        return DEFAULT_CALENDAR
    bases = [cid for cid, entry in calendars.items() if "base" not in entry]
    return bases[0] if bases else DEFAULT_CALENDAR


def _project(
    project: Record,
    summary: Record | None,
    calendar: str,
    start: datetime,
    path: Path,
    skipped: Skipped,
) -> dict[str, Any]:
    title = project.text("Title") or (summary.text("Name") if summary else None)
    name = title or project.text("Name") or path.stem
    info: dict[str, Any] = {"name": name, "start": start.date(), "calendar": calendar}
    currency = _currency(project)
    if currency and currency != "USD":  # the plan file's default
        info["currency"] = currency
    status = project.moment("StatusDate")
    if status is not None:
        info["status_date"] = status.date()
    manager = project.text("Manager")
    if manager:
        info["manager"] = manager
    subject = project.text("Subject")
    if subject:
        info["description"] = subject
    if project.flag("ScheduleFromStart") is False:
        skipped.say(
            "MS Project schedules this project back from its finish date; techpm schedules "
            "forward from its start"
        )
    return info


def _currency(project: Record) -> str | None:
    code = (project.text("CurrencyCode") or "").upper()
    if _CURRENCY.match(code):
        return code
    return _SYMBOLS.get(project.text("CurrencySymbol") or "")
