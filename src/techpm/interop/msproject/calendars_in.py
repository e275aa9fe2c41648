"""MSPDI calendars to plan-file calendars: weekdays, exceptions (old style and Project
2007+), work weeks and base calendars, with inheritance resolved where techpm inherits
differently (a techpm calendar inherits its whole week, MS Project day by day)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from xml.etree.ElementTree import Element

from techpm.domain.calendar import DayHours
from techpm.interop.exchange import fail
from techpm.interop.msproject.calendar_model import (
    MS_DAY,
    MS_WEEK,
    Week,
    day_list,
    week_entry,
    weekday_of,
)
from techpm.interop.msproject.carried import calendar_check
from techpm.interop.msproject.records import Record
from techpm.interop.msproject.recurrence import MAX_DAYS, Recurrence, days
from techpm.interop.msproject.skipped import Skipped
from techpm.interop.msproject.xml_source import Source

_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class _Calendar:
    uid: int
    name: str
    base_uid: int | None
    record: Record
    own_week: dict[int, DayHours] = field(default_factory=dict)  # weekday -> spans
    days: dict[date, DayHours] = field(default_factory=dict)  # own exceptions, () = off
    baseline_only: bool = False


@dataclass
class CalendarsIn:
    """Plan calendars, and the plan calendar id each MSPDI calendar UID stands for."""

    calendars: dict[str, dict[str, Any]]
    ids: dict[int, str]
    weeks: dict[str, Week]  # resolved week of each plan calendar
    droppable: frozenset[str]  # MS Project 98 baseline calendars: dropped when nothing uses them
    days: dict[str, dict[date, DayHours]] = field(default_factory=dict)  # own exceptions
    as_written: frozenset[int] = frozenset()  # UIDs of calendars unchanged since techpm wrote them

    def hours_on(self, cal_id: str) -> Callable[[date], DayHours]:
        """The working spans of any day on a calendar, its bases' exceptions included."""
        chain: list[str] = []
        current: str | None = cal_id
        while current is not None and current in self.calendars and current not in chain:
            chain.append(current)
            current = self.calendars[current].get("base")
        week = self.weeks.get(cal_id, MS_WEEK)
        maps = [self.days.get(c, {}) for c in chain]

        def hours(day: date) -> DayHours:
            for found in maps:
                if day in found:
                    return found[day]
            return week[day.weekday()]

        return hours

    def drop_unused(self, used: set[str]) -> None:
        bases = {entry.get("base") for entry in self.calendars.values()}
        for cal_id in self.droppable - used - bases:
            del self.calendars[cal_id]


def read_calendars(
    source: Source,
    elements: list[Element],
    skipped: Skipped,
    carried: Mapping[str, Any] | None = None,
) -> CalendarsIn:
    """`carried`: calendar UID -> what techpm wrote it from (`carried_out.py`)."""
    found: dict[int, _Calendar] = {}
    for element in elements:
        record = Record(element, source, "Calendar")
        uid = record.integer("UID")
        name = record.text("Name") or ""
        record.label = f"Calendar UID {uid} ({name!r})"
        if uid is None:
            raise fail(source.path, source.where(element, "Calendar"), "a calendar has no <UID>")
        base = None if record.flag("IsBaseCalendar") else record.integer("BaseCalendarUID")
        cal = _Calendar(uid, name, base if base is not None and base >= 0 else None, record)
        cal.baseline_only = bool(record.flag("IsBaselineCalendar")) or name.startswith(
            "Used for Microsoft Project 98"
        )
        if uid in found:
            raise fail(
                source.path,
                source.where(element, record.label),
                f"UID {uid} is used by two calendars",
                code="import.duplicate_uid",
            )
        found[uid] = cal
    for cal in found.values():
        if cal.base_uid == 0 and 0 not in found:
            cal.base_uid = None  # some writers mean "no base" by 0
        if cal.base_uid is not None and cal.base_uid not in found:
            raise fail(
                source.path,
                source.where(cal.record.element, cal.record.label),
                f"its base calendar UID {cal.base_uid} is not in the file",
                code="import.missing_reference",
            )
    weeks: dict[int, Week] = {}
    for uid in found:
        _resolve_week(found, uid, weeks, [])
    for cal in found.values():
        _read_days(cal, weeks[cal.uid], skipped)
    plan = _to_plan(found, weeks, skipped, carried or {})
    if carried:
        _as_written(plan, found, carried, skipped)
    return plan


def _resolve_week(
    found: dict[int, _Calendar], uid: int, weeks: dict[int, Week], seen: list[int]
) -> Week:
    if uid in weeks:
        return weeks[uid]
    cal = found[uid]
    if uid in seen:
        loop = " -> ".join(str(u) for u in [*seen, uid])
        raise fail(
            cal.record.source.path,
            cal.record.source.where(cal.record.element, cal.record.label),
            f"calendar bases loop: UID {loop}",
            code="import.calendar_cycle",
        )
    for day_element in cal.record.nested.get("WeekDays", []):
        for weekday in day_element:
            day = cal.record.sub(weekday, "WeekDay")
            day_type = day.integer("DayType")
            if day_type is not None and 1 <= day_type <= 7:
                cal.own_week[weekday_of(day_type)] = _hours(day, weekday)
    base = (
        _resolve_week(found, cal.base_uid, weeks, [*seen, uid])
        if cal.base_uid is not None
        else MS_WEEK
    )
    week = tuple(cal.own_week.get(n, base[n]) for n in range(7))
    weeks[uid] = week
    return week


def _hours(day: Record, element: Element) -> DayHours:
    """The spans of a WeekDay or Exception: none when not working, MS Project's default
    day when working without times."""
    if not day.flag("DayWorking"):
        return ()
    spans: list[tuple[int, int]] = []
    for child in element:
        if child.tag.endswith("WorkingTimes"):
            for time in child:
                span = day.sub(time, "WorkingTime")
                start, end = _minute(span, "FromTime"), _minute(span, "ToTime")
                if start is None or end is None:
                    continue
                # a span ending at or after midnight ends the day (techpm days do not
                # run into the next)
                spans.append((start, end if end > start else 24 * 60))
    return tuple(sorted(spans)) if spans else MS_DAY


def _minute(record: Record, name: str) -> int | None:
    text = record.text(name)
    if text is None:
        return None
    parts = text.split("T")[-1].split(":")
    try:
        hours, minutes = int(parts[0]), int(parts[1])
    except (ValueError, IndexError):
        raise record.bad(name, text, "a time such as 08:00:00") from None
    if not (0 <= hours <= 24 and 0 <= minutes < 60):
        raise record.bad(name, text, "a time of day")
    return hours * 60 + minutes


def _read_days(cal: _Calendar, week: Week, skipped: Skipped) -> None:
    """Work weeks first, then exceptions over them (MS Project's precedence)."""
    for holder in cal.record.nested.get("WorkWeeks", []):
        for element in holder:
            _work_week(cal, cal.record.sub(element, "WorkWeek"), element, week, skipped)
    exceptions = [e for holder in cal.record.nested.get("Exceptions", []) for e in holder]
    if exceptions:
        for element in exceptions:
            _exception(cal, cal.record.sub(element, "Exception"), element)
        return
    for holder in cal.record.nested.get("WeekDays", []):  # the style before Project 2007
        for element in holder:
            day = cal.record.sub(element, "WeekDay")
            if day.integer("DayType") == 0:
                first, last = _period(day, element)
                if first is not None and last is not None:
                    hours = _hours(day, element)
                    for d in days(Recurrence(None, first, last)):
                        cal.days[d] = hours


def _period(record: Record, element: Element) -> tuple[date | None, date | None]:
    for child in element:
        if child.tag.endswith("TimePeriod"):
            period = record.sub(child, "TimePeriod")
            start, end = period.moment("FromDate"), period.moment("ToDate")
            return (start.date() if start else None, _last_day(end) if end else None)
    return None, None


def _last_day(moment: datetime) -> date:
    """A period ending at midnight ends the day before."""
    if moment.time() == datetime.min.time():
        return moment.date() - timedelta(days=1)
    return moment.date()


def _exception(cal: _Calendar, record: Record, element: Element) -> None:
    first, last = _period(record, element)
    if first is None or last is None:
        return
    rule = Recurrence(
        type=record.integer("Type"),
        first=first,
        last=last,
        period=record.integer("Period") or 1,
        days_of_week=record.integer("DaysOfWeek") or 0,
        month_item=record.integer("MonthItem") or 0,
        month_position=record.integer("MonthPosition") or 0,
        month=record.integer("Month") or 0,
        month_day=record.integer("MonthDay") or 1,
        occurrences=record.integer("Occurrences") if record.flag("EnteredByOccurrences") else None,
    )
    hours = _hours(record, element)
    for day in days(rule):
        cal.days[day] = hours


def _work_week(
    cal: _Calendar, record: Record, element: Element, default: Week, skipped: Skipped
) -> None:
    """A week pattern for a date range becomes the days on which it differs."""
    first, last = _period(record, element)
    if first is None or last is None:
        return
    pattern: dict[int, DayHours] = {}
    for child in element:
        if child.tag.endswith("WeekDays"):
            for weekday in child:
                entry = record.sub(weekday, "WeekDay")
                day_type = entry.integer("DayType")
                if day_type is not None and 1 <= day_type <= 7:
                    pattern[weekday_of(day_type)] = _hours(entry, weekday)
    if (last - first).days > MAX_DAYS:
        skipped.add("long_work_week", f"{cal.name}: {first} to {last}")
        last = first + timedelta(days=MAX_DAYS)
    day = first
    while day <= last:
        hours = pattern.get(day.weekday())
        if hours is not None and hours != default[day.weekday()]:
            cal.days[day] = hours
        day += timedelta(days=1)


def _to_plan(
    found: dict[int, _Calendar],
    weeks: dict[int, Week],
    skipped: Skipped,
    carried: Mapping[str, Any],
) -> CalendarsIn:
    # a derived calendar with nothing of its own (a resource's, usually) is its base,
    # unless techpm wrote it as a plan calendar of its own
    alias: dict[int, int] = {}
    named = {int(uid): str(c["id"]) for uid, c in carried.items() if c.get("id")}

    def target(uid: int) -> int:
        cal = found[uid]
        if cal.base_uid is not None and not cal.own_week and not cal.days and uid not in named:
            return target(cal.base_uid)
        return uid

    for uid in found:
        alias[uid] = target(uid)
    ids: dict[int, str] = {}
    taken: set[str] = set()
    for uid, cal in found.items():
        if alias[uid] != uid:
            continue
        slug = named.get(uid) or _SLUG.sub("-", cal.name.lower()).strip("-") or f"calendar-{uid}"
        if slug in taken:
            slug = f"{slug}-{uid}"
        taken.add(slug)
        ids[uid] = slug
    for uid in found:
        ids[uid] = ids[alias[uid]]
    calendars: dict[str, dict[str, Any]] = {}
    plan_weeks: dict[str, Week] = {}
    for uid, cal in found.items():
        if alias[uid] != uid:
            continue
        entry: dict[str, Any] = {}
        if cal.base_uid is not None:
            entry["base"] = ids[cal.base_uid]
        working = {d: h for d, h in cal.days.items() if h}
        hours = _exception_hours(cal, working, skipped) if working else None
        if cal.base_uid is None or cal.own_week or hours is not None:
            entry.update(week_entry(weeks[uid], hours))
        off = [d for d, h in cal.days.items() if not h]
        if off:
            entry["nonworking"] = day_list(off)
        if working:
            entry["working"] = day_list(working)
        calendars[ids[uid]] = entry
        plan_weeks[ids[uid]] = weeks[uid]
    droppable = frozenset(ids[uid] for uid, cal in found.items() if cal.baseline_only)
    days = {ids[uid]: cal.days for uid, cal in found.items() if alias[uid] == uid}
    return CalendarsIn(calendars, ids, plan_weeks, droppable & set(calendars), days)


def _as_written(
    plan: CalendarsIn, found: dict[int, _Calendar], carried: Mapping[str, Any], skipped: Skipped
) -> None:
    """Calendars unchanged since techpm wrote them become the plan's own entries again
    (public holidays as a rule, the base as written); a changed one is read as it is."""
    unchanged: set[int] = set()
    for key, written in carried.items():
        uid = int(key)
        cal = found.get(uid)
        if cal is None or not isinstance(written, dict):
            continue
        if calendar_check(cal.own_week, cal.days) != written.get("check"):
            shown = written.get("id") or f"of {written.get('resource')}"
            skipped.say(
                f"calendar {shown} was changed in MS Project: read as the file gives it "
                "(its public holidays as the days listed)"
            )
            continue
        unchanged.add(uid)
        cal_id = plan.ids.get(uid)
        if isinstance(written.get("entry"), dict) and cal_id in plan.calendars:
            plan.calendars[cal_id] = dict(written["entry"])
    plan.as_written = frozenset(unchanged)


def _exception_hours(cal: _Calendar, working: dict[date, DayHours], skipped: Skipped) -> DayHours:
    """techpm gives every extra working day of a calendar the same hours: the most common."""
    counts = Counter(working.values())
    first_seen = {hours: day for day, hours in sorted(working.items(), reverse=True)}
    hours = max(counts, key=lambda h: (counts[h], -first_seen[h].toordinal()))
    for day, spans in sorted(working.items()):
        if spans != hours:
            skipped.add("exception_hours", f"{cal.name}: {day}")
    return hours
