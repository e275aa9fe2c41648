"""Earned schedule of the project, a WBS branch or a control account, on its own
planned-value curve.

The project's ES (metrics.py) counts the periods whose planned value the project has
earned. A branch's curve is flat before the branch starts and after it finishes, so that
count runs on to the end of the project for a finished branch (an SPI(t) of 2 for a branch
that finished on plan) and to the branch's start for one not due yet (an SPI(t) above 1
with nothing done). On a branch's own curve:

- ES is the time at which the branch's planned value reached its earned value; where the
  curve is flat at that value (before the branch is due, during a planned pause), the
  branch is on schedule anywhere in the flat stretch, so ES is the status time clamped to
  it. A finished branch's ES is its planned finish.
- AT is the status time, or the time a finished branch finished (Lipke: once done, the
  schedule performance is fixed at planned over actual duration).
- A branch without planned value has no earned schedule.

The project is measured the same way, so a project finished on plan keeps an SPI(t) of 1
however late the status date.
"""

from __future__ import annotations

from dataclasses import replace

from techpm.evm.metrics import EarnedValue

_TOLERANCE = 1e-9


def branch_earned_schedule(curve: list[float], ev: float, at: float) -> float | None:
    """ES in working days from the project start; None when the branch has no budget."""
    if not curve or curve[-1] <= _TOLERANCE:
        return None
    bac = curve[-1]
    eps = _TOLERANCE * max(1.0, bac)
    target = min(ev, bac)
    first = _first_reaching(curve, target, eps)
    last = _last_below(curve, target, eps, _first_reaching(curve, bac, eps))
    return min(max(at, first), last)


def for_branch(value: EarnedValue, curve: list[float], finished_at: float | None) -> EarnedValue:
    """`value` computed like the project's, with its time measures taken on the branch's own
    curve; `finished_at`: when every task of a finished branch was done (working days)."""
    at = value.at if finished_at is None else min(value.at, finished_at)
    es = branch_earned_schedule(curve, value.ev, at)
    if es is None or at <= 0:
        return replace(value, es=0.0, sv_t=0.0, spi_t=None, ieac_t=None)
    planned = _first_reaching(curve, curve[-1], _TOLERANCE * max(1.0, curve[-1]))
    spi_t = es / at
    return replace(
        value,
        es=es,
        at=at,
        sv_t=es - at,
        spi_t=spi_t,
        ieac_t=planned / spi_t if spi_t else None,
        planned_duration=planned,
    )


def _first_reaching(curve: list[float], value: float, eps: float) -> float:
    """The first time the (piecewise linear) curve reaches `value`."""
    for k, pv in enumerate(curve):
        if pv >= value - eps:
            if k == 0:
                return 0.0
            step = pv - curve[k - 1]
            return k - 1 + ((value - curve[k - 1]) / step if step > 0 else 1.0)
    return float(len(curve) - 1)


def _last_below(curve: list[float], value: float, eps: float, limit: float) -> float:
    """The last time, up to `limit`, at which the curve is still at or below `value`."""
    for k, pv in enumerate(curve):
        if pv > value + eps:
            if k == 0:
                return 0.0
            step = pv - curve[k - 1]
            return min(limit, k - 1 + (value - curve[k - 1]) / step)
    return limit
