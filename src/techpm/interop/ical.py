"""The schedule in people's calendars (RFC 5545): milestones, and each person's tasks.

Events are all-day: a plan has working hours but no time zone, so dates are the one thing
every calendar shows the same. UIDs are derived from the task (and the person), never
random, so that importing a newer export again updates events instead of adding copies.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from techpm.domain.project import Project
from techpm.interop.planfile.dump import days_text
from techpm.scheduling.result import Schedule, TaskSchedule

PRODID = "-//techpm//techpm plan export//EN"
MILESTONES_FILE = "milestones.ics"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def write_ics(schedule: Schedule, path: Path, *, stamp: datetime | None = None) -> None:
    """One calendar with every milestone and every person's tasks."""
    calendar = _calendar(schedule.problem.project.info.name)
    for event in _milestone_events(schedule, stamp) + _work_events(schedule, None, stamp):
        calendar.add_component(event)
    path.write_bytes(calendar.to_ical())


def calendars_for(schedule: Schedule, *, stamp: datetime | None = None) -> dict[str, bytes]:
    """File name -> calendar: `milestones.ics`, and `<resource id>.ics` for each resource
    with work in the plan (characters other than letters, digits, `.`, `_` and `-` become
    `_`; a name taken already gets `-2`, `-3` ...)."""
    project = schedule.problem.project
    name = project.info.name
    milestones = _calendar(f"{name}: milestones")
    for event in _milestone_events(schedule, stamp):
        milestones.add_component(event)
    files = {MILESTONES_FILE: milestones.to_ical()}
    booked = {resource for leaf in schedule.bookings for resource, _ in leaf}
    for resource in project.resources:
        if resource.id not in booked:
            continue
        events = _work_events(schedule, resource.id, stamp)
        if not events:
            continue  # booked on milestones only
        calendar = _calendar(f"{name}: {resource.name}")
        for event in events:
            calendar.add_component(event)
        files[_file_name(resource.id, files)] = calendar.to_ical()
    return files


def project_slug(project: Project) -> str:
    """The UID domain: the project name in lower case, runs of other characters as `-`."""
    return re.sub(r"[^a-z0-9]+", "-", project.info.name.lower()).strip("-") or "project"


def _file_name(resource_id: str, taken: dict[str, bytes]) -> str:
    base = _UNSAFE.sub("_", resource_id)
    name, n = f"{base}.ics", 1
    while name in taken:
        n += 1
        name = f"{base}-{n}.ics"
    return name


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)  # the older spelling most clients read
    return calendar


def _milestone_events(schedule: Schedule, stamp: datetime | None) -> list[Event]:
    project = schedule.problem.project
    slug = project_slug(project)
    events = []
    for row in schedule.rows:
        if not row.milestone:
            continue
        day = row.finish.date()
        event = _event(schedule, row, f"{row.id}@{slug}.techpm", stamp, day, day)
        event.add("categories", ["milestone", *_labels(schedule, row)])
        events.append(event)
    return events


def _work_events(schedule: Schedule, only: str | None, stamp: datetime | None) -> list[Event]:
    """An event per task and person on it; `only` keeps one resource's."""
    project = schedule.problem.project
    slug = project_slug(project)
    names = {r.id: r.name for r in project.resources}
    index = schedule.problem.index
    events = []
    for row in schedule.rows:
        if row.milestone or row.id not in index:
            continue
        people = schedule.bookings[index[row.id]]
        for resource, _ in people:
            if only is not None and resource != only:
                continue
            first, last = _days(row)
            uid = f"{row.id}+{resource}@{slug}.techpm"
            event = _event(schedule, row, uid, stamp, first, last)
            team = ", ".join(f"{names.get(r, r)} ({u:g})" for r, u in people)
            event["description"] = f"{event['description']}\nAssigned: {team}"
            event.add("categories", ["task", *_labels(schedule, row)])
            event.add("transp", "TRANSPARENT")  # a task does not block a whole day
            events.append(event)
    return events


def _event(
    schedule: Schedule,
    row: TaskSchedule,
    uid: str,
    stamp: datetime | None,
    first: date,
    last: date,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))  # an all-day event ends the day after
    event.add("summary", row.name)
    event.add("description", _description(schedule, row))
    return event


def _description(schedule: Schedule, row: TaskSchedule) -> str:
    per_day = schedule.minutes_per_day
    when = f"{row.start:%a %Y-%m-%d %H:%M}"
    if row.finish != row.start:
        when += f" - {row.finish:%a %Y-%m-%d %H:%M}"
    lines = [
        f"WBS {row.wbs} ({row.id})",
        when,
        f"Total float: {days_text(row.total_float_minutes, per_day)}, "
        f"free float: {days_text(row.free_float_minutes, per_day)}",
        f"Critical: {'yes' if row.critical else 'no'}",
    ]
    if row.percent_complete:
        lines.append(f"Complete: {row.percent_complete:g}%")
    return "\n".join(lines)


def _labels(schedule: Schedule, row: TaskSchedule) -> list[str]:
    tags = list(schedule.problem.project.task_by_id[row.id].tags)
    return ["critical", *tags] if row.critical else tags


def _days(row: TaskSchedule) -> tuple[date, date]:
    """First and last day worked: a finish at midnight ends the day before."""
    last = row.finish
    if last > row.start and last.time() == datetime.min.time():
        last -= timedelta(minutes=1)
    return row.start.date(), last.date()


def _utc(stamp: datetime | None) -> datetime:
    if stamp is None:
        return datetime.now(UTC)
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
