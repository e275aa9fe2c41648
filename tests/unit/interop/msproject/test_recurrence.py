"""Recurring calendar exceptions listed as the days they fall on."""

from __future__ import annotations

from datetime import date

from techpm.interop.msproject.recurrence import Recurrence, days


def test_daily_every_second_day() -> None:
    rule = Recurrence(1, date(2027, 1, 1), date(2027, 1, 7), period=2)
    assert days(rule) == [date(2027, 1, d) for d in (1, 3, 5, 7)]


def test_weekly_on_mondays_and_fridays_every_other_week() -> None:
    rule = Recurrence(6, date(2027, 1, 4), date(2027, 1, 31), period=2, days_of_week=2 | 32)
    assert days(rule) == [date(2027, 1, 4), date(2027, 1, 8), date(2027, 1, 18), date(2027, 1, 22)]


def test_monthly_on_a_day_and_by_position() -> None:
    fifteenth = Recurrence(4, date(2027, 1, 1), date(2027, 3, 31), month_day=15)
    assert days(fifteenth) == [date(2027, 1, 15), date(2027, 2, 15), date(2027, 3, 15)]
    last_friday = Recurrence(5, date(2027, 1, 1), date(2027, 2, 28), month_item=8, month_position=4)
    assert days(last_friday) == [date(2027, 1, 29), date(2027, 2, 26)]


def test_yearly_on_a_day_and_by_position() -> None:
    christmas = Recurrence(2, date(2027, 1, 1), date(2029, 12, 31), month=11, month_day=25)
    assert days(christmas) == [date(y, 12, 25) for y in (2027, 2028, 2029)]
    thanksgiving = Recurrence(
        3, date(2027, 1, 1), date(2028, 12, 31), month=10, month_item=7, month_position=3
    )
    assert days(thanksgiving) == [date(2027, 11, 25), date(2028, 11, 23)]


def test_occurrences_and_plain_ranges() -> None:
    rule = Recurrence(2, date(2027, 1, 1), date(2099, 12, 31), month=0, month_day=1, occurrences=2)
    assert days(rule) == [date(2027, 1, 1), date(2028, 1, 1)]
    assert days(Recurrence(None, date(2027, 1, 1), date(2027, 1, 3))) == [
        date(2027, 1, 1),
        date(2027, 1, 2),
        date(2027, 1, 3),
    ]
    assert days(Recurrence(1, date(2027, 1, 3), date(2027, 1, 1))) == []
