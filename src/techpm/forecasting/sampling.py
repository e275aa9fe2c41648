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


class Sampler:
    """Draws for many estimates at once, one row each, with everything that does not change
    between batches (parameters, PERT quantile tables) worked out once."""

    def __init__(self, estimates: list[ThreePoint]) -> None:
        self.count = len(estimates)
        self.groups: list[
            tuple[Distribution, list[int], Floats, Floats, Floats, Floats | None]
        ] = []
        by_kind: dict[Distribution, list[int]] = {}
        for row, estimate in enumerate(estimates):
            by_kind.setdefault(estimate.distribution, []).append(row)
        for kind, rows in by_kind.items():
            a = np.array([estimates[r].optimistic for r in rows], dtype=np.float64)[:, None]
            m = np.array([estimates[r].likely for r in rows], dtype=np.float64)[:, None]
            b = np.array([estimates[r].pessimistic for r in rows], dtype=np.float64)[:, None]
            table = None
            if kind is Distribution.PERT:
                width = np.maximum(b - a, 1e-12)
                table = _pert_table(
                    1 + 4 * (m - a)[:, 0] / width[:, 0], 1 + 4 * (b - m)[:, 0] / width[:, 0]
                )
            self.groups.append((kind, rows, a, m, b, table))

    def draw(self, size: int, rng: np.random.Generator) -> Floats:
        out = np.empty((self.count, size))
        for kind, rows, a, m, b, table in self.groups:
            shape = (len(rows), size)
            width = np.maximum(b - a, 1e-12)
            if kind is Distribution.TRIANGULAR:
                u = rng.random(shape)
                left = a + np.sqrt(u * width * (m - a))
                right = b - np.sqrt((1 - u) * width * (b - m))
                values = np.where(u < (m - a) / width, left, right)
            elif kind is Distribution.UNIFORM:
                values = a + width * rng.random(shape)
            elif kind is Distribution.LOGNORMAL:
                mean = np.maximum((a + 4 * m + b) / 6, 1e-12)
                sigma2 = np.log1p(((b - a) / 6 / mean) ** 2)
                values = rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2), shape)
            else:
                assert table is not None
                values = a + width * _from_table(table, shape, rng)
            out[rows] = np.where(b <= a, m, values)
        return out


def draw_many(estimates: list[ThreePoint], size: int, rng: np.random.Generator) -> Floats:
    return Sampler(estimates).draw(size, rng)


_GRID = np.linspace(0.0, 1.0, 1025)
_LEVELS = 512


def _pert_table(alpha: Floats, beta: Floats) -> Floats:
    """Each row's beta quantile function at _LEVELS + 1 levels, by integrating its density:
    inverting a table is several times faster than numpy's beta sampler over millions of
    draws. PERT shapes are >= 1, so the density is bounded."""
    x = _GRID[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_pdf = (alpha[:, None] - 1) * np.log(x) + (beta[:, None] - 1) * np.log1p(-x)
    log_pdf = np.where(np.isfinite(log_pdf), log_pdf, -np.inf)
    pdf = np.exp(log_pdf - log_pdf.max(axis=1, keepdims=True))
    steps = (pdf[:, 1:] + pdf[:, :-1]) / 2
    cdf = np.concatenate([np.zeros((len(alpha), 1)), np.cumsum(steps, axis=1)], axis=1)
    cdf /= cdf[:, -1:]
    levels = np.linspace(0.0, 1.0, _LEVELS + 1)
    return np.stack([np.interp(levels, row, _GRID) for row in cdf])


def _from_table(table: Floats, shape: tuple[int, int], rng: np.random.Generator) -> Floats:
    position = rng.random(shape) * _LEVELS
    low = np.minimum(position.astype(np.int64), _LEVELS - 1)
    frac = position - low
    rows = np.arange(shape[0])[:, None]
    result: Floats = table[rows, low] * (1 - frac) + table[rows, low + 1] * frac
    return result


def quantile(estimate: ThreePoint, u: Floats) -> Floats:
    """The estimate's value at probabilities `u`: the inverse of its distribution
    function, for draws that must follow given (correlated) uniforms."""
    a, m, b = estimate.optimistic, estimate.likely, estimate.pessimistic
    if b <= a:
        return np.full(u.shape, float(m))
    width = b - a
    kind = estimate.distribution
    if kind is Distribution.UNIFORM:
        return a + width * u
    if kind is Distribution.TRIANGULAR:
        left = a + np.sqrt(u * width * (m - a))
        right = b - np.sqrt((1 - u) * width * (b - m))
        return np.where(u < (m - a) / width, left, right)
    if kind is Distribution.LOGNORMAL:
        from scipy.special import ndtri

        mean = max((a + 4 * m + b) / 6, 1e-12)
        sigma2 = float(np.log1p((width / 6 / mean) ** 2))
        result: Floats = np.exp(np.log(mean) - sigma2 / 2 + np.sqrt(sigma2) * ndtri(u))
        return result
    table = _pert_table(np.array([1 + 4 * (m - a) / width]), np.array([1 + 4 * (b - m) / width]))[0]
    levels = np.linspace(0.0, 1.0, _LEVELS + 1)
    values: Floats = a + width * np.interp(u, levels, table)
    return values
