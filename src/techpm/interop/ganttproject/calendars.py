"""A .gan file's working week and holidays: GanttProject's working days, and the plan calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from techpm.interop.exchange import fail
from techpm.interop.ganttproject.source import Source

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WorkDays:
    """The file's working week and holidays, to count GanttProject's working days."""

    weekend: frozenset[int]
    holidays: frozenset[date]
    every_year: frozenset[tuple[int, int]]  # (month, day) holidays of every year
    working: frozenset[date]

    def works(self, day: date) -> bool:
        if day in self.working:
            return True
        if day in self.holidays or (day.month, day.day) in self.every_year:
            return False
        return day.weekday() not in self.weekend

    def next_working(self, day: date) -> date:
        for _ in range(3700):  # ten years of days off is a calendar without work
            if self.works(day) or day == date.max:
                return day
            day += timedelta(days=1)
        return day

    def finish(self, start: date, days: int) -> date:
        """The last day of `days` working days from `start` (the start, for none)."""
        day = self.next_working(start)
        for _ in range(max(days, 1) - 1):
            if day == date.max:
                break
            day = self.next_working(day + timedelta(days=1))
        return day


def read_workdays(source: Source) -> WorkDays:
    week = source.root.find("calendars/day-types/default-week")
    weekend = {5, 6}
    if week is not None:
        weekend = {n for n, name in enumerate(WEEKDAYS) if week.get(name, "0") == "1"}
    holidays: set[date] = set()
    every_year: set[tuple[int, int]] = set()
    working: set[date] = set()
    for el in source.root.findall("calendars/date"):
        kind = el.get("type", "HOLIDAY")
        month, day = int(source.number(el, "month")), int(source.number(el, "date"))
        year = el.get("year", "").strip()
        try:
            on = date(int(year) if year else 2000, month, day)
        except ValueError:
            raise fail(
                source.path, "<calendars> <date>", f"no such day: {year}-{month}-{day}"
            ) from None
        if kind == "HOLIDAY" and not year:
            every_year.add((month, day))
        elif kind == "HOLIDAY":
            holidays.add(on)
        elif kind == "WORKING_DAY" and year:
            working.add(on)
        else:
            source.skip(f"calendar day[s] of type {kind} (no meaning in techpm)")
    return WorkDays(
        frozenset(weekend), frozenset(holidays), frozenset(every_year), frozenset(working)
    )


def calendar_doc(days: WorkDays, start: date, finishes: Iterable[date]) -> dict[str, Any]:
    """Holidays of every year are written out for each year the plan may run through."""
    nonworking = set(days.holidays)
    if days.every_year:
        last = max(finishes, default=start)
        years = range(start.year, last.year + 2)
        for month, day in days.every_year:
            for year in years:
                try:
                    nonworking.add(date(year, month, day))
                except ValueError:  # 29 February
                    continue
    doc: dict[str, Any] = {"workweek": [d for n, d in enumerate(WEEKDAYS) if n not in days.weekend]}
    if nonworking:
        doc["nonworking"] = sorted(nonworking)
    if days.working:
        doc["working"] = sorted(days.working)
    return doc
