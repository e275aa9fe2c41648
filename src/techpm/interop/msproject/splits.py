"""Split tasks, found in an assignment's timephased work: working time without work between
worked periods. MS Project marks such a stretch with an explicit zero; MPXJ's conversion of
an .mpp leaves it without a value, as both do for a weekend, so an empty stretch counts only
when the calendar has working time in it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from techpm.domain.calendar import DayHours
from techpm.interop.msproject.durations import iso_minutes
from techpm.interop.msproject.records import Record

_KINDS = ("1", "2")  # remaining work, actual work
HoursOn = Callable[[date], DayHours]


def count_gaps(assignment: Record, hours_on: HoursOn) -> int:
    state = dict.fromkeys(_KINDS, 0)  # 0 before work, 1 working, 2 in a gap after work
    gaps = 0
    for element in assignment.nested.get("TimephasedData", ()):
        values: dict[str, str] = {}
        for child in element:
            values[child.tag[child.tag.find("}") + 1 :]] = child.text or ""
        kind = values.get("Type", "")
        if kind not in state:
            continue
        value = values.get("Value")
        if value is None:
            if not _has_working_time(values.get("Start"), values.get("Finish"), hours_on):
                continue  # a weekend or a holiday, not a gap
            worked = False
        else:
            worked = (iso_minutes(value) or 0) > 0
        if worked and state[kind] == 2:
            gaps += 1
        state[kind] = 1 if worked else (2 if state[kind] else 0)
    return gaps


def _has_working_time(start_text: str | None, finish_text: str | None, hours_on: HoursOn) -> bool:
    try:
        start = datetime.fromisoformat((start_text or "").strip())
        finish = datetime.fromisoformat((finish_text or "").strip())
    except ValueError:
        return False
    day = start.date()
    for _ in range(370):  # a stretch longer than a year is not a split worth counting
        if datetime.combine(day, datetime.min.time()) >= finish:
            return False
        midnight = datetime.combine(day, datetime.min.time())
        for begin, end in hours_on(day):
            if midnight + timedelta(minutes=begin) < finish and start < midnight + timedelta(
                minutes=end
            ):
                return True
        day += timedelta(days=1)
    return False
