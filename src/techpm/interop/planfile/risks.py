"""Plan-file risks and estimates to domain objects."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from techpm.domain.estimate import Distribution, ThreePoint
from techpm.domain.risk import Delay, Money, Response, Risk, RiskMatrix, RiskStatus, Strategy
from techpm.interop.planfile.locations import PathPart
from techpm.interop.planfile.model import (
    EstimateModel,
    ImpactModel,
    MoneyEstimateModel,
    RiskMatrixModel,
    RiskModel,
)

# parses working time at a path of the file, reporting a bad value there
DurationAt = Callable[[str | float | int, tuple[PathPart, ...]], int]


def build_estimate(
    model: EstimateModel, path: tuple[PathPart, ...], parse: DurationAt
) -> ThreePoint:
    return ThreePoint(
        optimistic=parse(model.optimistic, (*path, "optimistic")),
        likely=parse(model.likely, (*path, "likely")),
        pessimistic=parse(model.pessimistic, (*path, "pessimistic")),
        distribution=Distribution(model.distribution),
    )


def _money(value: float | MoneyEstimateModel | None) -> Money | None:
    if value is None:
        return None
    if isinstance(value, MoneyEstimateModel):
        return ThreePoint(
            value.optimistic, value.likely, value.pessimistic, Distribution(value.distribution)
        )
    return Decimal(str(value))


def _delays(
    impact: ImpactModel, path: tuple[PathPart, ...], parse: DurationAt
) -> tuple[Delay, ...]:
    delays = []
    for n, item in enumerate(impact.schedule):
        where = (*path, "schedule", n, "delay")
        if isinstance(item.delay, EstimateModel):
            amount: float | ThreePoint = build_estimate(item.delay, where, parse)
        else:
            amount = parse(item.delay, where)
        delays.append(Delay(item.task, amount))
    return tuple(delays)


def build_risk(model: RiskModel, path: tuple[PathPart, ...], parse: DurationAt) -> Risk:
    response = None
    if model.response is not None:
        residual = model.response.residual_impact
        response = Response(
            strategy=Strategy(model.response.strategy),
            actions=tuple(model.response.actions),
            cost=Decimal(str(model.response.cost)),
            residual_probability=model.response.residual_probability,
            residual_delays=(
                _delays(residual, (*path, "response", "residual_impact"), parse)
                if residual is not None
                else None
            ),
            residual_cost=_money(residual.cost) if residual is not None else None,
        )
    return Risk(
        id=model.id,
        title=model.title,
        probability=model.probability,
        delays=_delays(model.impact, (*path, "impact"), parse),
        cost=_money(model.impact.cost),
        description=model.description,
        category=model.category,
        owner=model.owner,
        response=response,
        trigger=model.trigger,
        status=RiskStatus(model.status),
        review_dates=tuple(model.review_dates),
    )


def build_matrix(model: RiskMatrixModel | None) -> RiskMatrix:
    if model is None:
        return RiskMatrix()

    def four(values: list[float]) -> tuple[float, float, float, float]:
        return (values[0], values[1], values[2], values[3])

    return RiskMatrix(
        probability=four(model.probability),
        schedule_days=four(model.schedule_days),
        cost=four(model.cost),
        high=model.high,
        medium=model.medium,
    )
