"""Draws of uncertain amounts, vectorised: many iterations of one estimate at once.

Durations are continuous working minutes, never rounded to days. PERT is the beta
distribution on [optimistic, pessimistic] with shape parameters 1 + 4(m-a)/(b-a) and
1 + 4(b-m)/(b-a) (Malcolm et al. 1959; Vose, Risk Analysis, 3rd ed., 2008, ch. 9);
the lognormal is fitted to the PERT mean and a standard deviation of (b-a)/6.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from techpm.domain.estimate import Distribution, ThreePoint

Floats = npt.NDArray[np.float64]


def draw(estimate: ThreePoint, size: int, rng: np.random.Generator) -> Floats:
    a, m, b = estimate.optimistic, estimate.likely, estimate.pessimistic
    if b <= a:
        return np.full(size, float(m))
    kind = estimate.distribution
    if kind is Distribution.TRIANGULAR:
        return rng.triangular(a, m, b, size)
    if kind is Distribution.UNIFORM:
        return rng.uniform(a, b, size)
    if kind is Distribution.LOGNORMAL:
        mean = (a + 4 * m + b) / 6
        sd = (b - a) / 6
        sigma2 = np.log1p((sd / mean) ** 2) if mean > 0 else 0.0
        return (
            rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2), size)
            if mean > 0
            else np.zeros(size)
        )
    alpha = 1 + 4 * (m - a) / (b - a)
    beta = 1 + 4 * (b - m) / (b - a)
    return a + (b - a) * rng.beta(alpha, beta, size)
