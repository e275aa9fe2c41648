"""Exposure of each risk and its place in the probability-impact matrix."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from techpm.domain.project import Project
from techpm.domain.risk import Risk, RiskMatrix, RiskStatus, level


@dataclass(frozen=True)
class Assessment:
    """A risk's weight before (and after) its response; days are working days."""

    risk: Risk
    delay_days: float  # expected schedule impact if it occurs
    cost: Decimal  # expected cost impact if it occurs
    exposure_days: float  # probability x delay
    exposure_cost: Decimal  # probability x cost
    probability_level: int
    impact_level: int
    score: int
    rating: str  # "high", "medium" or "low"
    residual_exposure_days: float
    residual_exposure_cost: Decimal
    residual_score: int


def _grade(
    matrix: RiskMatrix, probability: float, days: float, cost: Decimal
) -> tuple[int, int, int]:
    p_level = level(probability, matrix.probability)
    i_level = max(level(days, matrix.schedule_days), level(float(cost), matrix.cost))
    if probability <= 0:
        p_level = 0
    return p_level, i_level, p_level * i_level


def rating(matrix: RiskMatrix, score: int) -> str:
    if score >= matrix.high:
        return "high"
    return "medium" if score >= matrix.medium else "low"


def assess(project: Project) -> list[Assessment]:
    """Every risk, the open ones by score, then by exposure; closed ones last."""
    matrix = project.risk_matrix
    per_day = project.units.minutes_per_day
    out = []
    for risk in project.risks:
        days = risk.expected_delay_minutes() / per_day
        cost = risk.expected_cost()
        p_level, i_level, score = _grade(matrix, risk.probability, days, cost)
        residual_p = risk.chance(residual=True)
        residual_days = risk.expected_delay_minutes(residual=True) / per_day
        residual_cost = risk.expected_cost(residual=True)
        *_, residual_score = _grade(matrix, residual_p, residual_days, residual_cost)
        probability = Decimal(str(risk.probability))
        out.append(
            Assessment(
                risk=risk,
                delay_days=days,
                cost=cost,
                exposure_days=risk.probability * days,
                exposure_cost=(probability * cost).quantize(Decimal("0.01")),
                probability_level=p_level,
                impact_level=i_level,
                score=score,
                rating=rating(matrix, score),
                residual_exposure_days=residual_p * residual_days,
                residual_exposure_cost=(Decimal(str(residual_p)) * residual_cost).quantize(
                    Decimal("0.01")
                ),
                residual_score=residual_score,
            )
        )
    out.sort(
        key=lambda a: (
            a.risk.status is RiskStatus.CLOSED,
            -a.score,
            -a.exposure_days,
            -a.exposure_cost,
            a.risk.id,
        )
    )
    return out
