"""Risks, their impacts and the estimate correlations as plan-file mappings."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from techpm.domain.estimate import ThreePoint
from techpm.domain.risk import Delay, Money, Risk
from techpm.domain.units import DurationUnits, format_duration
from techpm.interop.planfile.dump.values import (
    drop_none,
    estimate_entry,
    money_number,
    three_point,
)


def risk_entry(risk: Risk, units: DurationUnits) -> dict[str, Any]:
    response = risk.response
    return drop_none(
        {
            "id": risk.id,
            "title": risk.title,
            "description": risk.description,
            "category": risk.category,
            "owner": risk.owner,
            "probability": risk.probability,
            "impact": _impact(risk.delays, risk.cost, units),
            "response": None
            if response is None
            else drop_none(
                {
                    "strategy": response.strategy.value,
                    "actions": list(response.actions) or None,
                    "cost": money_number(response.cost),
                    "residual_probability": response.residual_probability,
                    "residual_impact": None
                    if response.residual_delays is None
                    else _impact(response.residual_delays, response.residual_cost, units),
                }
            ),
            "trigger": risk.trigger,
            "status": risk.status.value,
            "review_dates": [d.isoformat() for d in risk.review_dates] or None,
        }
    )


def _impact(delays: Iterable[Delay], cost: Money | None, units: DurationUnits) -> dict[str, Any]:
    schedule = [
        {
            "task": d.task,
            "delay": estimate_entry(d.minutes, units)
            if isinstance(d.minutes, ThreePoint)
            else format_duration(round(d.minutes), units),
        }
        for d in delays
    ]
    money: Any = money_number(cost) if isinstance(cost, Decimal) else None
    if isinstance(cost, ThreePoint):
        money = {**three_point(cost), "distribution": cost.distribution.value}
    return drop_none({"schedule": schedule or None, "cost": money})


def correlation_entry(
    tasks: tuple[str, ...], matrix: tuple[tuple[float, ...], ...]
) -> dict[str, Any]:
    off = {value for i, row in enumerate(matrix) for j, value in enumerate(row) if i != j}
    if len(off) == 1 and all(matrix[i][i] == 1.0 for i in range(len(tasks))):
        return {"tasks": list(tasks), "coefficient": off.pop()}
    return {"tasks": list(tasks), "matrix": [list(row) for row in matrix]}
