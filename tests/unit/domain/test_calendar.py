from __future__ import annotations

from datetime import date

from techpm.domain.calendar import CalendarSpec, default_week, resolve_calendars


def test_child_calendar_inherits_week_and_adds_exceptions() -> None:
    base = CalendarSpec(
        id="standard", week=default_week(8), nonworking=frozenset({date(2027, 1, 8)})
    )
    child = CalendarSpec(
        id="alice",
        base="standard",
        nonworking=frozenset({date(2027, 1, 6)}),
        working=frozenset({date(2027, 1, 9)}),
    )
    resolved = resolve_calendars({"standard": base, "alice": child})
    alice = resolved["alice"]
    assert alice.week == base.week
    days = alice.exception_map()
    assert days[date(2027, 1, 8)] == ()  # from the base
    assert days[date(2027, 1, 6)] == ()  # her own day off
    assert days[date(2027, 1, 9)] == ((9 * 60, 17 * 60),)  # an extra Saturday
    assert date(2027, 1, 6) not in resolved["standard"].exception_map()


def test_default_week() -> None:
    week = default_week(7.5)
    assert week[0] == ((540, 990),)
    assert week[5] == ()
    assert week[6] == ()
    assert default_week(24)[0] == ((0, 1440),)
