"""Uncertain amounts: three-point estimates of durations (minutes) or costs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Distribution(StrEnum):
    PERT = "pert"  # beta-PERT, the default
    TRIANGULAR = "triangular"
    UNIFORM = "uniform"
    LOGNORMAL = "lognormal"


@dataclass(frozen=True)
class ThreePoint:
    """Optimistic <= likely <= pessimistic, in minutes of work or in money."""

    optimistic: float
    likely: float
    pessimistic: float
    distribution: Distribution = Distribution.PERT

    @property
    def ordered(self) -> bool:
        return 0 <= self.optimistic <= self.likely <= self.pessimistic

    @property
    def mean(self) -> float:
        """The distribution's expected value, for exposure and for reports."""
        a, m, b = self.optimistic, self.likely, self.pessimistic
        if self.distribution is Distribution.TRIANGULAR:
            return (a + m + b) / 3
        if self.distribution is Distribution.UNIFORM:
            return (a + b) / 2
        return (a + 4 * m + b) / 6  # PERT; lognormal is fitted to the same mean


@dataclass(frozen=True)
class Correlation:
    """Tasks whose estimates share a cause: their draws move together with these rank
    correlations (a symmetric matrix with ones on the diagonal)."""

    tasks: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]

    @classmethod
    def uniform(cls, tasks: tuple[str, ...], coefficient: float) -> Correlation:
        size = len(tasks)
        return cls(
            tasks,
            tuple(tuple(1.0 if i == j else coefficient for j in range(size)) for i in range(size)),
        )
