"""Plan-file resources to domain resources: kinds, rates and vacations."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from techpm.domain.resource import Rate, RateUnit, Resource, ResourceKind
from techpm.interop.planfile.model import DateRange, ResourceModel

_RATE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*(h|hr|hour|d|day))?\s*$", re.IGNORECASE)


class RateSyntaxError(ValueError):
    """A rate that is not a number, optionally followed by /h or /d."""


def parse_rate(value: str | float | int) -> Rate:
    """'95/h', '760/d', or a bare number per hour, exactly (money is Decimal)."""
    if isinstance(value, bool):
        raise RateSyntaxError(f"{value!r} is not a rate")
    if isinstance(value, int | float):
        return Rate(Decimal(str(value)), RateUnit.HOUR)
    match = _RATE_RE.match(value)
    if not match:
        raise RateSyntaxError(
            f"{value!r} is not a rate; write an amount per hour or day: 95/h, 760/d"
        )
    try:
        amount = Decimal(match[1])
    except InvalidOperation:
        raise RateSyntaxError(f"{value!r} is not a rate") from None
    unit = RateUnit.DAY if (match[2] or "h").lower().startswith("d") else RateUnit.HOUR
    return Rate(amount, unit)


def vacation_spans(
    items: list[tuple[date, date] | DateRange | date],
) -> tuple[tuple[date, date], ...]:
    spans: list[tuple[date, date]] = []
    for item in items:
        if isinstance(item, DateRange):
            spans.append((item.from_, item.to))
        elif isinstance(item, tuple):
            spans.append(item)
        else:
            spans.append((item, item))
    return tuple(spans)


def build_resource(
    model: ResourceModel, rate: Rate | None, changes: tuple[tuple[date, Rate], ...] = ()
) -> Resource:
    kind = model.kind or ("team" if model.capacity > 1 else "person")
    return Resource(
        id=model.id,
        name=model.name,
        kind=ResourceKind(kind),
        capacity=model.capacity,
        calendar=model.calendar,
        vacations=vacation_spans(model.vacations),
        skills=tuple(sorted(model.skills.items())),
        rate=rate,
        max_allocation=model.max_allocation,
        email=model.email,
        tags=tuple(model.tags),
        refs={k: str(v) for k, v in model.refs.items()},
        rate_changes=tuple(sorted(changes)),
        cost_account=model.cost_account,
    )
