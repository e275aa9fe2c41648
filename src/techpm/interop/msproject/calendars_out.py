"""Plan calendars to MSPDI calendars: the week of each calendar, its own days off and extra
working days as exceptions, public holidays listed for the years the schedule spans, and
one derived calendar per work resource, as MS Project keeps them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from xml.etree.ElementTree import Element

from techpm.domain.calendar import STANDARD_CALENDAR, Calendar, CalendarSpec, DayHours
from techpm.domain.project import Project
from techpm.domain.resource import Resource
from techpm.interop.holidays import public_holidays
from techpm.interop.msproject.calendar_model import ms_day_type
from techpm.interop.msproject.uids import allocate
from techpm.interop.msproject.xml_out import add, clock


@dataclass(frozen=True)
class CalendarPlan:
    """Which MSPDI calendar UID each plan calendar and each resource gets."""

    uids: dict[str, int]
    resource_uids: dict[str, int]
    specs: dict[str, CalendarSpec]
    own_calendar: dict[str, str]  # resource id -> a plan calendar it uses alone


def plan_calendars(project: Project) -> CalendarPlan:
    specs = dict(project.calendars)
    specs.setdefault(project.info.calendar, STANDARD_CALENDAR)
    uids = allocate(((cid, {}) for cid in specs), "calendar")
    users: dict[str, int] = {}
    for resource in project.resources:
        if resource.calendar is not None:
            users[resource.calendar] = users.get(resource.calendar, 0) + 1
    in_use = {project.info.calendar} | {t.calendar for t in project.tasks if t.calendar}
    own: dict[str, str] = {}
    derived: list[str] = []
    for resource in project.resources:
        if _consumable(resource):
            continue
        cal = resource.calendar
        if (
            cal is not None
            and not resource.vacations
            and specs[cal].base is not None
            and users[cal] == 1
            and cal not in in_use
            and not any(spec.base == cal for spec in specs.values())
        ):
            own[resource.id] = cal
        else:
            derived.append(resource.id)
    extra = allocate(((rid, {}) for rid in derived), "resource-calendar")
    taken = set(uids.values())
    resource_uids = {rid: uids[cal] for rid, cal in own.items()}
    for rid in derived:
        uid = extra[rid]
        while uid in taken:
            uid += 1
        taken.add(uid)
        resource_uids[rid] = uid
    return CalendarPlan(uids, resource_uids, specs, own)


def _consumable(resource: Resource) -> bool:
    return "material" in resource.tags or "cost" in resource.tags


def write_calendars(
    parent: Element,
    project: Project,
    resolved: dict[str, Calendar],
    plan: CalendarPlan,
    years: range,
) -> None:
    calendars = add(parent, "Calendars")
    for cal_id, spec in plan.specs.items():
        calendar = add(calendars, "Calendar")
        add(calendar, "UID", plan.uids[cal_id])
        add(calendar, "Name", cal_id)
        add(calendar, "IsBaseCalendar", spec.base is None)
        add(calendar, "BaseCalendarUID", plan.uids[spec.base] if spec.base else -1)
        week = resolved[cal_id].week
        if spec.base is None or spec.week is not None:
            _weekdays(calendar, week)
        explicit = resolved[cal_id].exception_map()
        off: dict[date, str] = dict.fromkeys(spec.nonworking, "Nonworking")
        for rule in spec.holidays or ():
            for year in years:
                for day, name in public_holidays(rule, year).items():
                    if day not in explicit:
                        off.setdefault(day, name)
        working = dict.fromkeys(spec.working, "Working")
        _exceptions(calendar, off, working, resolved[cal_id].working_hours)
    by_id = {r.id: r for r in project.resources}
    for rid, uid in plan.resource_uids.items():
        if rid in plan.own_calendar:
            continue
        resource = by_id[rid]
        calendar = add(calendars, "Calendar")
        add(calendar, "UID", uid)
        add(calendar, "Name", resource.name)
        add(calendar, "IsBaseCalendar", False)
        add(calendar, "BaseCalendarUID", plan.uids[resource.calendar or project.info.calendar])
        away: dict[date, str] = {}
        for first, last in resource.vacations:
            day = first
            while day <= last:
                away[day] = "Vacation"
                day += timedelta(days=1)
        _exceptions(calendar, away, {}, ())


def _weekdays(calendar: Element, week: tuple[DayHours, ...]) -> None:
    days = add(calendar, "WeekDays")
    for weekday in (6, 0, 1, 2, 3, 4, 5):  # DayType 1 (Sunday) to 7 (Saturday)
        day = add(days, "WeekDay")
        add(day, "DayType", ms_day_type(weekday))
        add(day, "DayWorking", bool(week[weekday]))
        if week[weekday]:
            _times(day, week[weekday])


def _times(parent: Element, hours: DayHours) -> None:
    times = add(parent, "WorkingTimes")
    for start, end in hours:
        span = add(times, "WorkingTime")
        add(span, "FromTime", clock(start))
        add(span, "ToTime", clock(end))


def _exceptions(
    calendar: Element, off: dict[date, str], working: dict[date, str], hours: DayHours
) -> None:
    """Days off and extra working days, a run of days with one name as one exception."""
    nothing: DayHours = ()
    runs = [(first, last, name, nothing) for first, last, name in _runs(off)]
    runs += [(first, last, name, hours) for first, last, name in _runs(working)]
    if not runs:
        return
    holder = add(calendar, "Exceptions")
    for first, last, name, spans in sorted(runs, key=lambda run: run[0]):
        exception = add(holder, "Exception")
        add(exception, "EnteredByOccurrences", False)
        period = add(exception, "TimePeriod")
        add(period, "FromDate", f"{first.isoformat()}T00:00:00")
        add(period, "ToDate", f"{last.isoformat()}T23:59:00")
        add(exception, "Occurrences", 1)
        add(exception, "Name", name)
        add(exception, "Type", 1)
        add(exception, "DayWorking", bool(spans))
        if spans:
            _times(exception, spans)


def _runs(days: dict[date, str]) -> list[tuple[date, date, str]]:
    """Consecutive days with the same name as one exception."""
    out: list[tuple[date, date, str]] = []
    for day in sorted(days):
        name = days[day]
        if out and out[-1][1] + timedelta(days=1) == day and out[-1][2] == name:
            out[-1] = (out[-1][0], day, name)
        else:
            out.append((day, day, name))
    return out
