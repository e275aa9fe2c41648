"""Write a scheduled plan as MS Project XML (MSPDI) that MS Project and ProjectLibre open:
project fields, calendars, tasks with the schedule's dates, resources and assignments,
each in the schema's element order, with UIDs that stay the same between exports."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, indent, tostring

from techpm.domain.calendar import Calendar
from techpm.domain.project import Project
from techpm.domain.resource import RateUnit, Resource
from techpm.interop.msproject.calendars_out import plan_calendars, write_calendars
from techpm.interop.msproject.carried_out import (
    CarriedOut,
    carried_data,
    write_definitions,
    write_values,
)
from techpm.interop.msproject.durations import FORMAT_DAYS, iso_duration
from techpm.interop.msproject.tasks_out import TaskContext, write_tasks
from techpm.interop.msproject.uids import allocate
from techpm.interop.msproject.xml_out import MSPDI_NS, add, clock
from techpm.scheduling.result import Schedule

RATE_PER_HOUR, RATE_PER_DAY = 2, 3
SAVE_VERSION = 12  # the MSPDI schema written to: Project 2007's (mspdi_pj12.xsd)
RATES_FROM = datetime(1984, 1, 1)  # MS Project's own first and last rate dates
RATES_TO = datetime(2049, 12, 31, 23, 59)
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def write_mspdi(schedule: Schedule, path: Path) -> None:
    path.write_bytes(mspdi_bytes(schedule))


def mspdi_bytes(schedule: Schedule, baseline: dict[str, Any] | None = None) -> bytes:
    """The MSPDI document; `baseline` (a `techpm baseline` snapshot) is written as MS
    Project's Baseline 0."""
    problem = schedule.problem
    project = problem.project
    calendars = plan_calendars(project)
    resolved: dict[str, Calendar] = problem.calendars
    week = resolved[project.info.calendar].week
    day = next((d for d in week if d), ((9 * 60, 17 * 60),))
    root = Element("Project", {"xmlns": MSPDI_NS})
    name = project.info.name
    add(root, "SaveVersion", SAVE_VERSION)
    add(root, "Name", name)
    add(root, "Title", name)
    if project.info.description:
        add(root, "Subject", project.info.description)
    if project.info.manager:
        add(root, "Manager", project.info.manager)
    add(root, "ScheduleFromStart", True)
    add(root, "StartDate", datetime.combine(project.info.start, time(*divmod(day[0][0], 60))))
    add(root, "FinishDate", schedule.finish)
    add(root, "CurrencyDigits", 2)
    add(root, "CurrencyCode", project.info.currency)
    add(root, "CalendarUID", calendars.uids[project.info.calendar])
    add(root, "DefaultStartTime", clock(day[0][0]))
    add(root, "DefaultFinishTime", clock(day[-1][1]))
    per_day = project.units.minutes_per_day
    add(root, "MinutesPerDay", per_day)
    add(root, "MinutesPerWeek", per_day * project.units.days_per_week)
    add(root, "DaysPerMonth", project.units.days_per_month)
    add(root, "DurationFormat", FORMAT_DAYS)
    add(root, "WorkFormat", 2)
    add(root, "HonorConstraints", True)
    add(root, "NewTasksEffortDriven", False)
    add(root, "NewTasksEstimated", False)
    add(root, "WeekStartDay", 1)
    if project.info.status_date is not None:
        add(root, "StatusDate", datetime.combine(project.info.status_date, datetime.min.time()))
    # public holidays over the whole plan and a year after it, so that a plan that slips
    # in MS Project still meets them
    years = range(min(project.info.start, schedule.start.date()).year, schedule.finish.year + 2)
    written = write_calendars(root, project, resolved, calendars, years)
    calendars_element = root[-1]  # the <Calendars> just written
    durations = {
        t.id: t.duration_minutes or 0 for t in project.tasks if not project.is_summary(t.id)
    }
    booked = {
        task_id: sorted({rid for rid, _ in schedule.bookings[j]})
        for task_id, j in problem.index.items()
        if schedule.bookings[j]
    }
    carried = carried_data(project, written, durations, booked)
    write_definitions(root, carried, before=calendars_element)
    task_uids = allocate(((t.id, t.refs) for t in project.tasks), "task")
    resource_uids = allocate(((r.id, r.refs) for r in project.resources), "resource")
    leaf_index = problem.index
    work = {
        task_id: round(sum(u for _, u in schedule.bookings[j]) * problem.duration[j])
        for task_id, j in leaf_index.items()
        if schedule.bookings[j]
    }
    ctx = TaskContext(
        schedule=schedule,
        uids=task_uids,
        calendar_uids=calendars.uids,
        calendars=resolved,
        task_calendar=_task_calendars(project),
        baseline=baseline,
        work_minutes=work,
        carried=carried,
    )
    write_tasks(root, ctx, name)
    _resources(root, project, resource_uids, calendars.resource_uids, carried)
    _assignments(root, schedule, task_uids, resource_uids)
    indent(root, space="\t")
    return (_DECLARATION + tostring(root, encoding="unicode") + "\n").encode("utf-8")


def _task_calendars(project: Project) -> dict[str, str]:
    """The calendar each task runs on: its own, else its summary's, else the project's."""
    out: dict[str, str] = {}
    for task in project.tasks:
        inherited = out.get(task.parent, project.info.calendar) if task.parent else None
        out[task.id] = task.calendar or inherited or project.info.calendar
    return out


def _resources(
    root: Element,
    project: Project,
    uids: dict[str, int],
    calendar_uids: dict[str, int],
    carried: CarriedOut,
) -> None:
    holder = add(root, "Resources")
    per_day = project.units.minutes_per_day
    for position, resource in enumerate(project.resources, start=1):
        element = add(holder, "Resource")
        add(element, "UID", uids[resource.id])
        add(element, "ID", position)
        add(element, "Name", resource.name)
        material = "material" in resource.tags
        cost = "cost" in resource.tags
        add(element, "Type", 0 if material else 1)
        add(element, "IsNull", False)
        if resource.email:
            add(element, "EmailAddress", resource.email)
        if not (material or cost):
            add(element, "MaxUnits", Decimal(str(resource.capacity)))
        amount, fmt = _rate(resource.rate, per_day)
        add(element, "StandardRate", amount)
        add(element, "StandardRateFormat", fmt)
        if resource.id in calendar_uids:
            add(element, "CalendarUID", calendar_uids[resource.id])
        write_values(element, "resource", resource.id, carried.resources.get(resource.id, {}))
        if cost:
            add(element, "IsCostResource", True)
        if resource.rate_changes:
            _rate_table(element, resource, per_day)


def _rate(rate: Any, per_day: int) -> tuple[Decimal, int]:
    """MSPDI holds every rate per hour, with the unit to show it in."""
    if rate is None:
        return Decimal(0), RATE_PER_HOUR
    if rate.per is RateUnit.DAY:
        per_hour = (rate.amount * 60 / per_day).quantize(Decimal("0.000001")).normalize()
        return per_hour, RATE_PER_DAY
    return rate.amount, RATE_PER_HOUR


def _rate_table(element: Element, resource: Resource, per_day: int) -> None:
    rates = add(element, "Rates")
    changes = [(RATES_FROM, resource.rate)]
    changes += [(datetime.combine(d, datetime.min.time()), r) for d, r in resource.rate_changes]
    for n, (start, rate) in enumerate(changes):
        end = changes[n + 1][0] if n + 1 < len(changes) else RATES_TO
        entry = add(rates, "Rate")
        add(entry, "RatesFrom", start)
        add(entry, "RatesTo", end)
        add(entry, "RateTable", 0)
        amount, fmt = _rate(rate, per_day)
        add(entry, "StandardRate", amount)
        add(entry, "StandardRateFormat", fmt)


def _assignments(
    root: Element, schedule: Schedule, task_uids: dict[str, int], resource_uids: dict[str, int]
) -> None:
    holder = add(root, "Assignments")
    problem = schedule.problem
    project = problem.project
    pairs: list[tuple[str, str, float]] = []
    for task in project.tasks:
        j = problem.index.get(task.id)
        booked = (
            schedule.bookings[j]
            if j is not None
            else tuple((a.resource, a.units) for a in task.assignments)
        )
        pairs.extend((task.id, rid, units) for rid, units in booked)
    uids = allocate(((f"{t}/{r}", {}) for t, r, _ in pairs), "assignment")
    for task_id, resource_id, units in pairs:
        if resource_id not in resource_uids:
            continue
        row = schedule.row(task_id)
        j = problem.index.get(task_id)
        minutes = problem.duration[j] if j is not None else row.duration_minutes
        element = add(holder, "Assignment")
        add(element, "UID", uids[f"{task_id}/{resource_id}"])
        add(element, "TaskUID", task_uids[task_id])
        add(element, "ResourceUID", resource_uids[resource_id])
        add(element, "Finish", row.finish)
        add(element, "Start", row.start)
        add(element, "Units", Decimal(str(units)))
        add(element, "Work", iso_duration(round(units * minutes)))
