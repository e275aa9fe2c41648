"""What MS Project calendars and techpm calendars share: a week of working spans, Monday
first, and the text the plan file writes spans in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from techpm.domain.calendar import DayHours

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Week = tuple[DayHours, ...]

# MS Project's own default working day and week (its "Standard" calendar)
MS_DAY: DayHours = ((8 * 60, 12 * 60), (13 * 60, 17 * 60))
MS_WEEK: Week = (MS_DAY, MS_DAY, MS_DAY, MS_DAY, MS_DAY, (), ())


def ms_day_type(weekday: int) -> int:
    """Monday-first weekday (0..6) to MSPDI DayType (1 Sunday .. 7 Saturday)."""
    return (weekday + 1) % 7 + 1


def weekday_of(day_type: int) -> int:
    """MSPDI DayType (1 Sunday .. 7 Saturday) to a Monday-first weekday."""
    return (day_type + 5) % 7


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def span_texts(hours: DayHours) -> list[str]:
    return [f"{clock(start)}-{clock(end)}" for start, end in hours]


def week_entry(week: Week, hours: DayHours | None) -> dict[str, Any]:
    """`workweek` (and `hours` for extra working days) in the plan file's shortest exact form:
    a list of days when every working day has the same spans, else day -> spans."""
    working = [day for day in week if day]
    uniform = bool(working) and all(day == working[0] for day in working)
    if uniform and (hours is None or hours == working[0]):
        return {
            "workweek": [WEEKDAYS[n] for n, day in enumerate(week) if day],
            "hours": span_texts(working[0]),
        }
    entry: dict[str, Any] = {
        "workweek": {WEEKDAYS[n]: span_texts(day) for n, day in enumerate(week) if day}
    }
    if hours is not None:
        entry["hours"] = span_texts(hours)
    return entry


def day_list(days: Iterable[date]) -> list[date | dict[str, date]]:
    """Sorted days with runs of consecutive days as {from, to} ranges."""
    out: list[date | dict[str, date]] = []
    run: list[date] = []
    for day in sorted(set(days)):
        if run and day - run[-1] != timedelta(days=1):
            out.append(_run(run))
            run = []
        run.append(day)
    if run:
        out.append(_run(run))
    return out


def _run(run: list[date]) -> date | dict[str, date]:
    return run[0] if len(run) == 1 else {"from": run[0], "to": run[-1]}
