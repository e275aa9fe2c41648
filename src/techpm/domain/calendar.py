"""Working calendars as data: which days are worked and during which hours.

Public holidays are kept as a rule (country, region) and expanded by an adapter, so the
domain stays free of data libraries; everything else is explicit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

MINUTES_PER_DAY = 24 * 60
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# A working interval within a day, in minutes after midnight: [start, end).
DayInterval = tuple[int, int]
DayHours = tuple[DayInterval, ...]


@dataclass(frozen=True)
class HolidayRule:
    """Public holidays of a country (ISO 3166 code) and optionally a region within it."""

    country: str
    subdivision: str | None = None


@dataclass(frozen=True)
class CalendarSpec:
    """A calendar as written in the plan; fields left None are inherited from `base`."""

    id: str
    base: str | None = None
    week: tuple[DayHours, ...] | None = None  # seven entries, Monday first
    holidays: tuple[HolidayRule, ...] | None = None
    nonworking: frozenset[date] = field(default_factory=frozenset)
    working: frozenset[date] = field(default_factory=frozenset)
    working_hours: DayHours | None = None  # hours of an extra working day

    @property
    def minutes_per_day(self) -> int | None:
        if self.week is None:
            return None
        worked = [sum(e - s for s, e in day) for day in self.week if day]
        return max(worked) if worked else 0


@dataclass(frozen=True)
class Calendar:
    """A calendar with inheritance resolved; every question about a day is answered here."""

    id: str
    week: tuple[DayHours, ...]
    holidays: tuple[HolidayRule, ...] = ()
    exceptions: tuple[tuple[date, DayHours], ...] = ()  # explicit days, later entries win
    working_hours: DayHours = ((9 * 60, 17 * 60),)

    @property
    def minutes_per_day(self) -> int:
        worked = [sum(e - s for s, e in day) for day in self.week if day]
        return max(worked) if worked else 0

    @property
    def days_per_week(self) -> int:
        return sum(1 for day in self.week if day)

    def exception_map(self) -> dict[date, DayHours]:
        return dict(self.exceptions)


def default_week(
    hours_per_day: float = 8, workdays: tuple[int, ...] = (0, 1, 2, 3, 4)
) -> tuple[DayHours, ...]:
    """Monday to Friday from 09:00, or from midnight when a day is longer than 15 hours."""
    length = round(hours_per_day * 60)
    start = 9 * 60 if length <= 15 * 60 else 0
    day: DayHours = ((start, start + length),) if length > 0 else ()
    return tuple(day if weekday in workdays else () for weekday in range(7))


STANDARD_CALENDAR = CalendarSpec(id="standard", week=default_week())


def resolve_calendars(specs: dict[str, CalendarSpec]) -> dict[str, Calendar]:
    """Flatten inheritance; the caller has already checked that bases exist and do not cycle."""
    resolved: dict[str, Calendar] = {}

    def resolve(cal_id: str) -> Calendar:
        if cal_id in resolved:
            return resolved[cal_id]
        spec = specs[cal_id]
        parent = resolve(spec.base) if spec.base else None
        week = spec.week or (parent.week if parent else default_week())
        holiday_rules = (
            spec.holidays if spec.holidays is not None else (parent.holidays if parent else ())
        )
        working_hours = spec.working_hours or _first_working_day(week)
        exceptions = list(parent.exceptions) if parent else []
        exceptions += [(day, ()) for day in sorted(spec.nonworking)]
        exceptions += [(day, working_hours) for day in sorted(spec.working)]
        calendar = Calendar(
            id=cal_id,
            week=week,
            holidays=holiday_rules,
            exceptions=tuple(exceptions),
            working_hours=working_hours,
        )
        resolved[cal_id] = calendar
        return calendar

    for cal_id in specs:
        resolve(cal_id)
    return resolved


def _first_working_day(week: tuple[DayHours, ...]) -> DayHours:
    for day in week:
        if day:
            return day
    return ((9 * 60, 17 * 60),)
