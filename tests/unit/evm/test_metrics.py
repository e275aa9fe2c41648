"""Earned value and earned schedule on a hand-computed case.

A budget of 1,000 planned evenly over 10 days (100 a day). At the end of day 5 the work is
40 % done and 450 has been spent: PV 500, EV 400, AC 450, so SV -100, CV -50, SPI 0.8,
CPI 0.889, EAC = BAC/CPI = 1,125, ETC 675, VAC -125, TCPI(BAC) = 600/550. The plan
expected 400 earned after 4 days: ES 4, SV(t) -1, SPI(t) 0.8, IEAC(t) = 10/0.8 = 12.5 days.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from techpm.evm.metrics import TaskStatus, earned_schedule, earned_value, planned_at

CURVE = [100.0 * day for day in range(11)]


def test_hand_computed_case() -> None:
    task = TaskStatus("a", Decimal(1000), 40, Decimal(450), Decimal(600))
    result = earned_value(CURVE, [task], at=5)
    assert (result.bac, result.pv, result.ev, result.ac) == (1000, 500, 400, 450)
    assert (result.sv, result.cv) == (-100, -50)
    assert result.spi == pytest.approx(0.8)
    assert result.cpi == pytest.approx(400 / 450)
    assert result.eac["cpi"] == pytest.approx(1125)
    assert result.eac["atypical"] == pytest.approx(1050)
    assert result.eac["cpi_spi"] == pytest.approx(450 + 600 / (0.8 * 400 / 450))
    assert result.eac["bottom_up"] == pytest.approx(1050)
    assert result.etc == pytest.approx(675)
    assert result.vac == pytest.approx(-125)
    assert result.tcpi_bac == pytest.approx(600 / 550)
    assert result.tcpi_eac == pytest.approx(600 / 675)
    assert result.es == pytest.approx(4)
    assert result.sv_t == pytest.approx(-1)
    assert result.spi_t == pytest.approx(0.8)
    assert result.ieac_t == pytest.approx(12.5)


def test_earned_schedule_interpolates_within_a_period() -> None:
    """ES = C + I, C the number of whole periods whose cumulative PV the EV reaches and
    I = (EV - PV_C) / (PV_C+1 - PV_C) (W. Lipke, "Earned Schedule", PMI MetSIG, 2007)."""
    curve = [0.0, 100.0, 300.0, 400.0]
    assert earned_schedule(curve, 200) == pytest.approx(1.5)
    assert earned_schedule(curve, 400) == pytest.approx(3)
    assert planned_at(curve, 1.5) == pytest.approx(200)
    assert planned_at(curve, 9) == 400
