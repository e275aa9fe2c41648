"""Earned value and earned schedule as of a status date (PMI Practice Standard for EVM;
Lipke, "Schedule is different", The Measurable News, 2003, for earned schedule).

Time is in working days of the project calendar. The planned value curve is cumulative
per working day; earned value is each task's budget times its percent complete; actual
cost is what the plan records as spent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class TaskStatus:
    id: str
    bac: Decimal  # budget at completion of the task
    percent_complete: float
    actual_cost: Decimal
    remaining_estimate: Decimal  # what the current plan says is left to spend


@dataclass(frozen=True)
class EarnedValue:
    bac: float
    pv: float
    ev: float
    ac: float
    sv: float
    cv: float
    spi: float | None
    cpi: float | None
    eac: dict[str, float | None]
    etc: float | None
    vac: float | None
    tcpi_bac: float | None
    tcpi_eac: float | None
    es: float  # earned schedule, working days
    at: float  # actual time, working days
    sv_t: float
    spi_t: float | None
    ieac_t: float | None  # forecast duration, working days
    planned_duration: float


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def planned_at(curve: list[float], t: float) -> float:
    """Cumulative planned value after `t` working days (curve[d] = at the end of day d)."""
    if t <= 0:
        return 0.0
    if t >= len(curve) - 1:
        return curve[-1]
    whole = int(t)
    return curve[whole] + (curve[whole + 1] - curve[whole]) * (t - whole)


def earned_schedule(curve: list[float], ev: float) -> float:
    """The time at which the plan expected to have earned `ev` (Lipke 2003): the whole
    periods whose planned value is reached, plus the fraction of the next one."""
    count = 0
    while count + 1 < len(curve) and curve[count + 1] <= ev:
        count += 1
    if count + 1 >= len(curve):
        return float(count)
    step = curve[count + 1] - curve[count]
    return count + ((ev - curve[count]) / step if step > 0 else 0.0)


def earned_value(curve: list[float], tasks: list[TaskStatus], at: float) -> EarnedValue:
    """`curve`: cumulative PV per working day from 0 (the start) to the planned finish."""
    bac = float(sum((t.bac for t in tasks), Decimal(0)))
    ev = float(sum((t.bac * Decimal(str(t.percent_complete / 100)) for t in tasks), Decimal(0)))
    ac = float(sum((t.actual_cost for t in tasks), Decimal(0)))
    pv = planned_at(curve, at)
    spi, cpi = _ratio(ev, pv), _ratio(ev, ac)
    eac: dict[str, float | None] = {
        "cpi": _ratio(bac, cpi) if cpi else None,
        "atypical": ac + (bac - ev),
        "cpi_spi": ac + (bac - ev) / (cpi * spi) if cpi and spi else None,
        "bottom_up": ac + float(sum((t.remaining_estimate for t in tasks), Decimal(0))),
    }
    main = eac["cpi"]
    es = earned_schedule(curve, ev)
    planned_duration = float(len(curve) - 1)
    spi_t = _ratio(es, at)
    return EarnedValue(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        sv=ev - pv,
        cv=ev - ac,
        spi=spi,
        cpi=cpi,
        eac=eac,
        etc=None if main is None else main - ac,
        vac=None if main is None else bac - main,
        tcpi_bac=_ratio(bac - ev, bac - ac),
        tcpi_eac=None if main is None else _ratio(bac - ev, main - ac),
        es=es,
        at=at,
        sv_t=es - at,
        spi_t=spi_t,
        ieac_t=_ratio(planned_duration, spi_t) if spi_t else None,
        planned_duration=planned_duration,
    )


# measures that get worse as they grow; every other rated measure gets worse as it falls
GROWS_WORSE = frozenset({"tcpi_bac", "tcpi_eac", "finish_slip_days", "open_high_risks"})


def rate(name: str, value: float | None, amber: float, red: float) -> str | None:
    """'green', 'amber' or 'red' for a measure against its limits, in the measure's own
    direction (so that equal amber and red limits stay unambiguous)."""
    if value is None:
        return None
    if name in GROWS_WORSE:
        return "red" if value > red else "amber" if value > amber else "green"
    return "red" if value < red else "amber" if value < amber else "green"
