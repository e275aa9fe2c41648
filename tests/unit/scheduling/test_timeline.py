"""Working-time conversions on a calendar grid, checked against hand counts."""

from __future__ import annotations

from datetime import date

import pytest

from techpm.domain.calendar import Calendar, HolidayRule, default_week
from techpm.scheduling.timeline import CalendarError, Timeline

EPOCH = date(2027, 1, 4)  # a Monday
DAY = 1440


def at(day: int, hour: int, minute: int = 0) -> int:
    return day * DAY + hour * 60 + minute


@pytest.fixture
def week() -> Timeline:
    return Timeline(Calendar(id="standard", week=default_week(8)), EPOCH)


def test_working_offset_counts_only_working_minutes(week: Timeline) -> None:
    assert week.to_work(at(0, 9)) == 0
    assert week.to_work(at(0, 13)) == 240
    assert week.to_work(at(0, 20)) == 480  # evening: the day's work is done
    assert week.to_work(at(5, 12)) == 5 * 480  # Saturday: Monday-Friday done
    assert week.to_work(at(7, 9)) == 5 * 480  # next Monday morning


def test_start_and_finish_differ_only_across_breaks(week: Timeline) -> None:
    five_days = 5 * 480
    assert week.finish_at(five_days) == at(4, 17)  # Friday evening
    assert week.start_at(five_days) == at(7, 9)  # Monday morning
    assert week.start_at(100) == week.finish_at(100) == at(0, 9, 100)


def test_holidays_and_exceptions() -> None:
    def lookup(rule: HolidayRule, year: int) -> dict[date, str]:
        return {date(2027, 1, 6): "Epiphany"} if rule.country == "XX" else {}

    calendar = Calendar(
        id="c",
        week=default_week(8),
        holidays=(HolidayRule("XX"),),
        exceptions=((date(2027, 1, 9), ((9 * 60, 13 * 60),)), (date(2027, 1, 5), ())),
    )
    tl = Timeline(calendar, EPOCH, lookup)
    assert tl.hours_on(date(2027, 1, 6)) == ()
    assert tl.why_not_working(date(2027, 1, 6)) == "holiday: Epiphany"
    assert tl.why_not_working(date(2027, 1, 5)) == "non-working day"
    assert tl.why_not_working(date(2027, 1, 10)) == "weekend"
    # Mon 480, Thu 480, Fri 480, Sat 240 -> the 4th span ends Saturday 13:00
    assert tl.finish_at(3 * 480 + 240) == at(5, 13)


def test_grows_far_into_the_future(week: Timeline) -> None:
    twenty_years = 20 * 52 * 5 * 480
    moment = week.start_at(twenty_years)
    assert week.to_work(moment) == twenty_years


def test_calendar_without_working_time_is_an_error() -> None:
    with pytest.raises(CalendarError):
        Timeline(Calendar(id="never", week=((),) * 7), EPOCH).start_at(1)
