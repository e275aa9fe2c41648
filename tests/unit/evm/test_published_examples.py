"""Earned value against published worked examples."""

from __future__ import annotations

from decimal import Decimal

import pytest

from techpm.evm.metrics import TaskStatus, earned_value


def _task(name: str, bac: float, done: float, spent: float, left: float = 0) -> TaskStatus:
    return TaskStatus(name, Decimal(str(bac)), done, Decimal(str(spent)), Decimal(str(left)))


def test_fence_example() -> None:
    """R. Mulcahy, PMP Exam Prep, p. 210 (the "fence" exercise): four sides of $1,000, one
    a day; at the end of day 3 sides 1 and 2 are done ($1,000 and $1,200 spent), side 3 is
    half done ($600 spent). Published answers: PV 3,000, EV 2,500, AC 2,800, BAC 4,000,
    CV -300, CPI .893, SV -500, SPI .833, EAC 4,479, ETC 1,679, VAC -479 (computed there
    with CPI rounded to .893)."""
    tasks = [
        _task("side1", 1000, 100, 1000),
        _task("side2", 1000, 100, 1200),
        _task("side3", 1000, 50, 600),
        _task("side4", 1000, 0, 0),
    ]
    result = earned_value([0, 1000, 2000, 3000, 4000], tasks, at=3)
    assert (result.pv, result.ev, result.ac, result.bac) == (3000, 2500, 2800, 4000)
    assert result.cv == -300
    assert result.sv == -500
    assert result.cpi == pytest.approx(0.893, abs=5e-4)
    assert result.spi == pytest.approx(0.833, abs=5e-4)
    assert result.eac["cpi"] == pytest.approx(4479, abs=2)
    assert result.etc == pytest.approx(1679, abs=2)
    assert result.vac == pytest.approx(-479, abs=2)
    # earned schedule: 2,500 was planned by the middle of day 3
    assert result.es == pytest.approx(2.5)
    assert result.spi_t == pytest.approx(2.5 / 3)


def test_single_task_example() -> None:
    """Tutorialspoint, "Earned Value Management — EVM Example": a task baselined at 8 hours
    at $100 an hour has taken 11 hours with 1 hour left. Published: PV 800, AC 1,100,
    EV 734 (91.7 % complete), BAC 800, EAC 1,200 (AC + ETC), VAC -400, SV -66, SPI 0.91,
    CV -366, CPI 0.66."""
    task = _task("task", 800, 100 * 1100 / 1200, 1100, left=100)
    result = earned_value([0, 800], [task], at=1)
    assert result.pv == 800
    assert result.ev == pytest.approx(733.33, abs=1)
    assert result.eac["bottom_up"] == pytest.approx(1200)
    assert result.bac - result.eac["bottom_up"] == pytest.approx(-400)
    assert result.sv == pytest.approx(-66, abs=1)
    assert result.spi == pytest.approx(0.91, abs=0.01)
    assert result.cv == pytest.approx(-366, abs=1)
    assert result.cpi == pytest.approx(0.66, abs=0.01)


def test_six_month_project_example() -> None:
    """K. Schwalbe, Information Technology Project Management, ch. 7 exercise: a six-month
    project with BAC $200,000, three months in: PV $120,000, EV $100,000, AC $90,000.
    By the textbook's formulas: CV 10,000, SV -20,000, CPI 1.11, SPI 0.83, EAC = BAC/CPI =
    180,000, and the time to finish = 6 months / SPI = 7.2 months."""
    curve = [0, 40_000, 80_000, 120_000, 160_000, 180_000, 200_000]  # cumulative PV by month
    tasks = [_task("project", 200_000, 50, 90_000)]
    result = earned_value(curve, tasks, at=3)
    assert (result.pv, result.ev, result.ac) == (120_000, 100_000, 90_000)
    assert (result.cv, result.sv) == (10_000, -20_000)
    assert result.cpi == pytest.approx(1.111, abs=1e-3)
    assert result.spi == pytest.approx(0.833, abs=1e-3)
    assert result.eac["cpi"] == pytest.approx(180_000)
    assert result.planned_duration / result.spi == pytest.approx(7.2)
    # earned schedule agrees here: 100,000 was planned halfway through month 3
    assert result.es == pytest.approx(2.5)
    assert result.ieac_t == pytest.approx(7.2)


def test_period_by_period_example() -> None:
    """P. Govan, PRA (Project Risk Analysis) R package, vignette "Earned Value Management":
    BAC 100,000; planned completion by period 10 %, 20 %, 40 %, 70 %, 100 %; actual completion
    5 %, 15 %, 35 % and period costs 9,000, 18,000, 36,000 in periods 1 to 3. Published at
    period 3: PV 40,000, EV 35,000, AC 63,000, SV -5,000, CV -28,000, SPI 0.88, CPI 0.56;
    EAC typical BAC/CPI, atypical AC + BAC - EV, combined AC + (BAC - EV)/(CPI*SPI);
    ETC (BAC - EV)/CPI; VAC BAC - EAC typical; TCPI (BAC - EV)/(BAC - AC). Earned schedule
    per period follows Lipke's definition on the same curve."""
    curve = [0, 10_000, 20_000, 40_000, 70_000, 100_000]
    done = [5, 15, 35]
    spent = [9_000, 27_000, 63_000]  # cumulative period costs
    expected_es = [0.5, 1.5, 2.75]
    rows = []
    for period, (pct, cost) in enumerate(zip(done, spent, strict=True), start=1):
        result = earned_value(curve, [_task("project", 100_000, pct, cost)], at=period)
        rows.append((result.pv, result.ev, result.ac))
        assert result.es == pytest.approx(expected_es[period - 1])
        assert result.spi_t == pytest.approx(expected_es[period - 1] / period)
    assert rows == [(10_000, 5_000, 9_000), (20_000, 15_000, 27_000), (40_000, 35_000, 63_000)]
    assert (result.sv, result.cv) == (-5_000, -28_000)
    assert round(result.spi, 2) == 0.88
    assert round(result.cpi, 2) == 0.56
    cpi = 35_000 / 63_000
    assert result.eac["cpi"] == pytest.approx(100_000 / cpi)  # 180,000
    assert result.eac["atypical"] == pytest.approx(128_000)
    assert result.eac["cpi_spi"] == pytest.approx(63_000 + 65_000 / (cpi * 0.875))
    assert result.etc == pytest.approx(65_000 / cpi)
    assert result.vac == pytest.approx(100_000 - 180_000)
    assert result.tcpi_bac == pytest.approx(65_000 / 37_000)
