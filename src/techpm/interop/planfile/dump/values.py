"""Plan-file spellings of values every dumped part uses: dates, durations, money, numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from techpm.domain.estimate import ThreePoint
from techpm.domain.task import Moment
from techpm.domain.units import DurationUnits, format_duration


def moment_text(moment: Moment) -> str:
    return moment.isoformat()


def days_text(minutes: int, minutes_per_day: int) -> str:
    """Working time for people to read, in days to one decimal: 19.8d, 0d, -2d."""
    return f"{round(minutes / minutes_per_day, 1):g}d"


def estimate_entry(estimate: ThreePoint, units: DurationUnits) -> dict[str, Any]:
    values = three_point(estimate)
    return {
        **{key: format_duration(round(value), units) for key, value in values.items()},
        "distribution": estimate.distribution.value,
    }


def three_point(estimate: ThreePoint) -> dict[str, float]:
    return {
        "optimistic": estimate.optimistic,
        "likely": estimate.likely,
        "pessimistic": estimate.pessimistic,
    }


def maybe_duration(minutes: int | None, units: DurationUnits) -> str | None:
    return None if minutes is None else format_duration(minutes, units)


def maybe_moment(moment: Moment | None) -> str | None:
    return None if moment is None else moment_text(moment)


def plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def money_number(amount: Decimal | None) -> int | float | None:
    """Plan files hold money as JSON numbers; the loader reads them back exactly."""
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def drop_none(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if value is not None}
