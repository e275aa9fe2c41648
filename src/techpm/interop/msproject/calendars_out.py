"""Plan calendars to MSPDI calendars: the week of each calendar, its own days off and extra
working days as exceptions, public holidays listed for every year the plan spans (and
one after it), and one derived calendar per work resource, as MS Project keeps them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from xml.etree.ElementTree import Element

from techpm.domain.calendar import STANDARD_CALENDAR, Calendar, CalendarSpec, DayHours
from techpm.domain.project import Project
from techpm.domain.resource import Resource
from techpm.interop.holidays import public_holidays
from techpm.interop.msproject.calendar_model import ms_day_type
from techpm.interop.msproject.carried import calendar_check
from techpm.interop.msproject.uids import allocate
from techpm.interop.msproject.xml_out import add, clock

Exception_ = tuple[DayHours, str]  # a day's working spans (none: off) and its name


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


@dataclass(frozen=True)
class WrittenCalendar:
    """What a written MSPDI calendar stands for, and its fingerprint as written."""

    uid: int
    check: str
    calendar: str | None = None  # a plan calendar's id
    resource: str | None = None  # or the resource whose own calendar it is


def write_calendars(
    parent: Element,
    project: Project,
    resolved: dict[str, Calendar],
    plan: CalendarPlan,
    years: range,
) -> list[WrittenCalendar]:
    """Every plan calendar, then one derived calendar per work resource that needs one.
    A calendar whose public holidays differ from its base's is written whole, as a base
    calendar: an MS Project calendar inherits every exception of its base, holidays
    included, so a Berlin calendar derived from a US one would keep the US holidays."""
    calendars = add(parent, "Calendars")
    written: list[WrittenCalendar] = []
    for cal_id, spec in plan.specs.items():
        base = spec.base
        if base is not None and spec.holidays not in (None, resolved[base].holidays):
            base = None  # written whole
        calendar = add(calendars, "Calendar")
        add(calendar, "UID", plan.uids[cal_id])
        add(calendar, "Name", cal_id)
        add(calendar, "IsBaseCalendar", base is None)
        add(calendar, "BaseCalendarUID", plan.uids[base] if base else -1)
        week = resolved[cal_id].week
        own_week: dict[int, DayHours] = {}
        if base is None or spec.week is not None:
            own_week = dict(enumerate(week))
            _weekdays(calendar, week)
        days = _own_days(spec, resolved[cal_id], whole=base is None and spec.base is not None)
        explicit = resolved[cal_id].exception_map()
        for rule in resolved[cal_id].holidays if base is None else spec.holidays or ():
            for year in years:
                for day, name in public_holidays(rule, year).items():
                    if day not in explicit and day not in days:
                        days[day] = ((), name)
        _exceptions(calendar, days)
        check = calendar_check(own_week, {d: hours for d, (hours, _) in days.items()})
        written.append(WrittenCalendar(plan.uids[cal_id], check, calendar=cal_id))
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
        away: dict[date, tuple[DayHours, str]] = {}
        for first, last in resource.vacations:
            day = first
            while day <= last:
                away[day] = ((), "Vacation")
                day += timedelta(days=1)
        _exceptions(calendar, away)
        check = calendar_check({}, {d: hours for d, (hours, _) in away.items()})
        written.append(WrittenCalendar(uid, check, resource=rid))
    return written


def _own_days(spec: CalendarSpec, calendar: Calendar, *, whole: bool) -> dict[date, Exception_]:
    """Days off and extra working days with their hours: the calendar's own, or with
    `whole` every explicit day it inherits too."""
    if whole:
        return {day: (hours, _day_name(hours)) for day, hours in calendar.exceptions}
    days: dict[date, Exception_] = dict.fromkeys(spec.nonworking, ((), "Nonworking"))
    days.update(dict.fromkeys(spec.working, (calendar.working_hours, "Working")))
    return days


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


def _day_name(hours: DayHours) -> str:
    return "Working" if hours else "Nonworking"


def _exceptions(calendar: Element, days: dict[date, Exception_]) -> None:
    """Days off and extra working days, a run of days with one name and the same hours as
    one exception."""
    if not days:
        return
    holder = add(calendar, "Exceptions")
    for first, last, (spans, name) in _runs(days):
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


def _runs(days: dict[date, Exception_]) -> list[tuple[date, date, Exception_]]:
    """Consecutive days with the same hours and name as one exception."""
    out: list[tuple[date, date, Exception_]] = []
    for day in sorted(days):
        what = days[day]
        if out and out[-1][1] + timedelta(days=1) == day and out[-1][2] == what:
            out[-1] = (out[-1][0], day, what)
        else:
            out.append((day, day, what))
    return out
