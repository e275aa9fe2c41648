"""Correlated draws through a Gaussian copula, and the nearest valid correlation matrix."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


def smallest_eigenvalue(matrix: Floats) -> float:
    return float(np.linalg.eigvalsh((matrix + matrix.T) / 2).min())


def nearest_correlation(matrix: Floats, iterations: int = 200) -> Floats:
    """Higham's alternating projections (IMA J. Numer. Anal. 22, 2002): the closest matrix
    with unit diagonal that is positive semi-definite."""
    y = (matrix + matrix.T) / 2
    correction = np.zeros_like(y)
    for _ in range(iterations):
        r = y - correction
        values, vectors = np.linalg.eigh(r)
        x = (vectors * np.maximum(values, 0)) @ vectors.T
        correction = x - r
        y = x.copy()
        np.fill_diagonal(y, 1.0)
        if np.abs(y - x).max() < 1e-10:
            break
    return y


def correlated_uniforms(rank_correlation: Floats, size: int, rng: np.random.Generator) -> Floats:
    """Uniform draws (rows) whose rank correlations are the given ones: normals correlated
    at 2 sin(pi rho / 6), the Pearson value giving Spearman rho, mapped through their CDF."""
    pearson = 2 * np.sin(np.pi * rank_correlation / 6)
    np.fill_diagonal(pearson, 1.0)
    values, vectors = np.linalg.eigh(pearson)
    root = vectors * np.sqrt(np.maximum(values, 0))
    normals = root @ rng.standard_normal((len(pearson), size))
    from scipy.special import ndtr  # imported on first use: a slow import

    uniforms: Floats = ndtr(normals)
    return uniforms
