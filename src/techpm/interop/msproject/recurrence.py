"""The days a recurring MS Project calendar exception falls on (yearly holidays, every
second Friday ...), listed out: the plan file holds plain dates."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

MAX_DAYS = 200 * 366  # a range longer than this is cut, so that a typo cannot hang the import

# Exception <Type>: 1 daily, 2 yearly on a day, 3 yearly by position, 4 monthly on a day,
# 5 monthly by position, 6 weekly, 7 daily (by day count); others are one run of days.
DAILY = frozenset({1, 7})
YEARLY_DAY, YEARLY_POSITION, MONTHLY_DAY, MONTHLY_POSITION, WEEKLY = 2, 3, 4, 5, 6


@dataclass(frozen=True)
class Recurrence:
    type: int | None
    first: date
    last: date
    period: int = 1
    days_of_week: int = 0  # bit mask: 1 Sunday, 2 Monday ... 64 Saturday
    month_item: int = 0  # 0 day, 1 weekday, 2 weekend day, 3 Sunday ... 9 Saturday
    month_position: int = 0  # 0 first ... 3 fourth, 4 last
    month: int = 0  # 0 January ... 11 December
    month_day: int = 1
    occurrences: int | None = None


def days(rule: Recurrence) -> list[date]:
    last = min(rule.last, rule.first + timedelta(days=MAX_DAYS))
    if last < rule.first:
        return []
    period = max(1, rule.period)
    if rule.type in DAILY:
        found = _every(rule.first, last, period)
    elif rule.type == WEEKLY:
        found = _weekly(rule.first, last, period, rule.days_of_week)
    elif rule.type in (MONTHLY_DAY, MONTHLY_POSITION):
        found = _monthly(rule, last, period)
    elif rule.type in (YEARLY_DAY, YEARLY_POSITION):
        found = _yearly(rule, last)
    else:
        found = _every(rule.first, last, 1)
    if rule.occurrences is not None and rule.type is not None and 1 <= rule.type <= 7:
        found = found[: max(0, rule.occurrences)]
    return found


def _every(first: date, last: date, step: int) -> list[date]:
    count = (last - first).days // step + 1
    return [first + timedelta(days=k * step) for k in range(count)]


def _weekly(first: date, last: date, period: int, mask: int) -> list[date]:
    week_start = first - timedelta(days=(first.weekday() + 1) % 7)  # weeks start on Sunday
    out: list[date] = []
    while week_start <= last:
        for offset in range(7):
            day = week_start + timedelta(days=offset)
            if mask & (1 << offset) and first <= day <= last:
                out.append(day)
        week_start += timedelta(days=7 * period)
    return out


def _monthly(rule: Recurrence, last: date, period: int) -> list[date]:
    out: list[date] = []
    year, month = rule.first.year, rule.first.month
    while date(year, month, 1) <= last:
        day = _in_month(rule, year, month)
        if day is not None and rule.first <= day <= last:
            out.append(day)
        month += period
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return out


def _yearly(rule: Recurrence, last: date) -> list[date]:
    out: list[date] = []
    for year in range(rule.first.year, last.year + 1):
        day = _in_month(rule, year, rule.month + 1)
        if day is not None and rule.first <= day <= last:
            out.append(day)
    return out


def _in_month(rule: Recurrence, year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    length = calendar.monthrange(year, month)[1]
    if rule.type in (MONTHLY_DAY, YEARLY_DAY):
        return date(year, month, min(max(1, rule.month_day), length))
    candidates = [
        date(year, month, d)
        for d in range(1, length + 1)
        if _matches(date(year, month, d), rule.month_item)
    ]
    if not candidates:
        return None
    if rule.month_position >= 4:
        return candidates[-1]
    return candidates[rule.month_position] if rule.month_position < len(candidates) else None


def _matches(day: date, item: int) -> bool:
    if item == 0:
        return True
    if item == 1:
        return day.weekday() < 5
    if item == 2:
        return day.weekday() >= 5
    return (day.weekday() + 1) % 7 == item - 3  # 3 Sunday, 4 Monday ... 9 Saturday
