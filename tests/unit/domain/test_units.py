from __future__ import annotations

import pytest

from techpm.domain.units import DurationSyntaxError, DurationUnits, format_duration, parse_duration

EIGHT_HOUR_DAYS = DurationUnits()
SIX_HOUR_DAYS = DurationUnits(minutes_per_day=6 * 60, days_per_week=4)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("4h", 240),
        ("5d", 2400),
        ("2w", 4800),
        ("30m", 30),
        ("1.5d", 720),
        ("-1d", -480),
        ("0d", 0),
        ("3", 1440),
        (2, 960),
        ("1mo", 20 * 480),
        (" 2 H ", 120),
    ],
)
def test_parse_duration(text: str, minutes: int) -> None:
    assert parse_duration(text, EIGHT_HOUR_DAYS) == minutes


def test_days_and_weeks_follow_the_calendar() -> None:
    assert parse_duration("1d", SIX_HOUR_DAYS) == 360
    assert parse_duration("1w", SIX_HOUR_DAYS) == 4 * 360


@pytest.mark.parametrize("text", ["5 days", "d5", "", "1x", "--1d", True])
def test_bad_durations_are_rejected(text: str) -> None:
    with pytest.raises(DurationSyntaxError):
        parse_duration(text, EIGHT_HOUR_DAYS)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("minutes", "text"), [(2400, "5d"), (240, "4h"), (90, "90m"), (-480, "-1d")]
)
def test_format_duration(minutes: int, text: str) -> None:
    assert format_duration(minutes, EIGHT_HOUR_DAYS) == text
