"""MS Project's time amounts: ISO 8601 durations (PT8H0M0S), lags in tenths of a minute,
and the format codes that say whether an amount is working or elapsed time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_ISO = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d*)?)Y)?(?:(\d+(?:\.\d*)?)M)?(?:(\d+(?:\.\d*)?)W)?(?:(\d+(?:\.\d*)?)D)?"
    r"(?:T(?:(\d+(?:\.\d*)?)H)?(?:(\d+(?:\.\d*)?)M)?(?:(\d+(?:\.\d*)?)S)?)?$"
)
# minutes in one ISO unit; a year and a month are taken as 365 and 30 days
_ISO_UNITS = (365 * 1440, 30 * 1440, 7 * 1440, 1440, 60, 1, 1 / 60)

# DurationFormat / LagFormat codes (the same + 32 when the amount is estimated, "5d?")
PERCENT = frozenset({19, 20, 51, 52})
ELAPSED_MINUTES_OR_HOURS = frozenset({4, 6, 36, 38})
ELAPSED_DAYS = frozenset({8, 40})
ELAPSED_WEEKS = frozenset({10, 42})
ELAPSED_MONTHS = frozenset({12, 44})
ELAPSED = ELAPSED_MINUTES_OR_HOURS | ELAPSED_DAYS | ELAPSED_WEEKS | ELAPSED_MONTHS | {20, 52}
FORMAT_DAYS = 7
FORMAT_HOURS = 5


def iso_minutes(text: str) -> float | None:
    """Minutes in an ISO 8601 duration, or None when the text is not one."""
    match = _ISO.match(text.strip())
    if match is None or text.strip() in ("P", "-P", "PT", "-PT"):
        return None
    total = sum(
        float(value) * per
        for value, per in zip(match.groups()[1:], _ISO_UNITS, strict=True)
        if value
    )
    return -total if match.group(1) else total


def iso_duration(minutes: int) -> str:
    """The form MS Project writes: hours and minutes, seconds always zero."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}PT{hours}H{rest}M0S"


@dataclass(frozen=True)
class TimeUnits:
    """The project's own conversion factors (MinutesPerDay, MinutesPerWeek, DaysPerMonth)."""

    minutes_per_day: int = 480
    minutes_per_week: int = 2400
    days_per_month: int = 20

    def working(self, minutes: float, fmt: int | None) -> float:
        """An amount MS Project holds in `fmt`, as working minutes: elapsed days, weeks and
        months count as that many working days, weeks and months (an approximation)."""
        if fmt in ELAPSED_DAYS:
            return minutes / 1440 * self.minutes_per_day
        if fmt in ELAPSED_WEEKS:
            return minutes / (7 * 1440) * self.minutes_per_week
        if fmt in ELAPSED_MONTHS:
            return minutes / (30 * 1440) * self.minutes_per_day * self.days_per_month
        return minutes


def duration_text(minutes: int, minutes_per_day: int) -> str:
    """Working time as plan-file text, exactly: days from a day up, else hours, else minutes
    (with up to two decimals when they are exact: 1.5d, 7.5h)."""
    sign = "-" if minutes < 0 else ""
    size = abs(minutes)
    if size == 0:
        return "0d"
    if minutes_per_day > 0 and size >= minutes_per_day and (size * 100) % minutes_per_day == 0:
        return f"{sign}{_number(Decimal(size) / Decimal(minutes_per_day))}d"
    if (size * 100) % 60 == 0:
        return f"{sign}{_number(Decimal(size) / 60)}h"
    return f"{sign}{size}m"


def _number(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.01")).normalize(), "f")
    return text
