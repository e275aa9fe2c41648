"""Decisions and asks for the sponsors: free text, kept in order, checked for shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from techpm.domain.errors import InvalidPlanError
from techpm.services.planning import load_plan

PLAN = """\
project: {name: P, start: 2027-01-04}
tasks:
  - {id: a, name: A, duration: 1d}
decisions:
  - Approve the second vendor
  - Move the launch to May
asks:
  - Two more testers in March
"""


def test_decisions_and_asks_load_in_order(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    project = load_plan(path)
    assert project.decisions == ("Approve the second vendor", "Move the launch to May")
    assert project.asks == ("Two more testers in March",)


def test_an_ask_must_be_text(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace("  - Two more testers in March", "  - {who: qa}"))
    with pytest.raises(InvalidPlanError) as caught:
        load_plan(path)
    assert "plan.yaml:8:" in str(caught.value)
