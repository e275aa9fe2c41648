"""The risk register: uncertain events tied to the plan, their responses and exposure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from techpm.domain.estimate import ThreePoint


class Strategy(StrEnum):
    AVOID = "avoid"
    MITIGATE = "mitigate"
    TRANSFER = "transfer"
    ACCEPT = "accept"


class RiskStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    OCCURRED = "occurred"


@dataclass(frozen=True)
class Delay:
    """Working time added to a task when the risk occurs: fixed, or a three-point estimate."""

    task: str
    minutes: float | ThreePoint

    @property
    def expected_minutes(self) -> float:
        return self.minutes.mean if isinstance(self.minutes, ThreePoint) else self.minutes


Money = Decimal | ThreePoint


def expected_money(amount: Money | None) -> Decimal:
    if amount is None:
        return Decimal(0)
    if isinstance(amount, ThreePoint):
        return Decimal(str(round(amount.mean, 2)))
    return amount


@dataclass(frozen=True)
class Response:
    strategy: Strategy = Strategy.ACCEPT
    actions: tuple[str, ...] = ()
    cost: Decimal = Decimal(0)
    residual_probability: float | None = None
    residual_delays: tuple[Delay, ...] | None = None
    residual_cost: Money | None = None


@dataclass(frozen=True)
class Risk:
    id: str
    title: str
    probability: float
    delays: tuple[Delay, ...] = ()
    cost: Money | None = None
    description: str | None = None
    category: str | None = None
    owner: str | None = None
    response: Response | None = None
    trigger: str | None = None
    status: RiskStatus = RiskStatus.OPEN
    review_dates: tuple[date, ...] = ()

    def expected_delay_minutes(self, *, residual: bool = False) -> float:
        delays = self.delays
        if residual and self.response and self.response.residual_delays is not None:
            delays = self.response.residual_delays
        return sum(d.expected_minutes for d in delays)

    def expected_cost(self, *, residual: bool = False) -> Decimal:
        if residual and self.response and self.response.residual_cost is not None:
            return expected_money(self.response.residual_cost)
        return expected_money(self.cost)

    def chance(self, *, residual: bool = False) -> float:
        if residual and self.response and self.response.residual_probability is not None:
            return self.response.residual_probability
        return self.probability


@dataclass(frozen=True)
class RiskMatrix:
    """A 5x5 probability-impact grid: four thresholds cut each axis into five levels."""

    probability: tuple[float, float, float, float] = (0.1, 0.3, 0.5, 0.7)
    schedule_days: tuple[float, float, float, float] = (1, 5, 10, 20)
    cost: tuple[float, float, float, float] = (1_000, 10_000, 50_000, 100_000)
    high: int = 15  # score (probability level x impact level) from which a risk is high
    medium: int = 6


def level(value: float, thresholds: tuple[float, ...]) -> int:
    """1 to 5: how many thresholds the value reaches, plus one."""
    return 1 + sum(1 for t in thresholds if value >= t)
