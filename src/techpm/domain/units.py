"""Working-time durations: the plan speaks in 4h / 5d / 2w, the engines in whole minutes."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

MINUTES_PER_HOUR = 60

_DURATION_RE = re.compile(
    r"^\s*(?P<sign>[-+]?)\s*(?P<value>\d{1,12}(?:\.\d{1,12})?|\.\d{1,12})\s*"
    r"(?P<unit>m|min|h|d|w|mo)?\s*$",
    re.IGNORECASE | re.ASCII,  # 0-9 only: other scripts' digits are not read as numbers
)
# a thousand years of round-the-clock work: past it, a duration is a typo or an attack
MAX_MINUTES = 1000 * 366 * 24 * 60


@dataclass(frozen=True)
class DurationUnits:
    """How long a working day, week and month are, in minutes, for converting durations."""

    minutes_per_day: int = 8 * 60
    days_per_week: int = 5
    days_per_month: int = 20

    @property
    def minutes_per_week(self) -> int:
        return self.minutes_per_day * self.days_per_week


class DurationSyntaxError(ValueError):
    """A duration that is not '<number><unit>' with unit m, h, d, w or mo."""


def parse_duration(text: str | int | float, units: DurationUnits) -> int:
    """Parse '4h', '5d', '2w', '-1d' (a lead), '90m', or a bare number of days, into minutes."""
    return _parse_duration(text, units)


@lru_cache(maxsize=4096)
def _parse_duration(text: str | int | float, units: DurationUnits) -> int:
    """Plans repeat the same few durations thousands of times: parse each once."""
    if isinstance(text, bool):
        raise DurationSyntaxError(f"{text!r} is not a duration")
    if isinstance(text, int | float):
        if not math.isfinite(text) or abs(text) * units.minutes_per_day > MAX_MINUTES:
            raise DurationSyntaxError(f"{text!r} is not a duration a plan can use")
        return round(float(text) * units.minutes_per_day)
    match = _DURATION_RE.match(text)
    if not match:
        raise DurationSyntaxError(
            f"{text!r} is not a duration; write a number and a unit, such as 30m, 4h, 5d or 2w"
        )
    value = float(match["value"])
    unit = (match["unit"] or "d").lower()
    per_unit = {
        "m": 1,
        "min": 1,
        "h": MINUTES_PER_HOUR,
        "d": units.minutes_per_day,
        "w": units.minutes_per_week,
        "mo": units.minutes_per_day * units.days_per_month,
    }[unit]
    minutes = round(value * per_unit)
    if minutes > MAX_MINUTES:
        raise DurationSyntaxError(f"{text!r} is longer than any plan can use")
    return -minutes if match["sign"] == "-" else minutes


def format_duration(minutes: int, units: DurationUnits) -> str:
    """Shortest exact rendering of a working-time amount, in days when it divides evenly."""
    sign = "-" if minutes < 0 else ""
    magnitude = abs(minutes)
    if magnitude % units.minutes_per_day == 0:
        return f"{sign}{magnitude // units.minutes_per_day}d"
    if magnitude % MINUTES_PER_HOUR == 0:
        return f"{sign}{magnitude // MINUTES_PER_HOUR}h"
    return f"{sign}{magnitude}m"
