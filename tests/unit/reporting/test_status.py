"""The overall red/amber/green: the worst measured rule wins, each rule in its direction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from techpm.domain.project import ProjectInfo
from techpm.reporting.status import overall_status
from techpm.services.planning import load_plan

RULES = ProjectInfo("x", date(2027, 1, 4)).status_rules


@pytest.mark.parametrize(
    ("values", "overall", "reasons"),
    [
        ({"spi": 1.0, "cpi": 0.97, "finish_slip_days": 0, "open_high_risks": 0}, "green", []),
        ({"spi": 0.93, "cpi": 1.0}, "amber", ["spi"]),
        (
            {"finish_slip_days": 6, "open_high_risks": 1},
            "amber",
            ["finish_slip_days", "open_high_risks"],
        ),
        ({"finish_slip_days": 11, "spi": 0.93}, "red", ["finish_slip_days"]),
        (
            {"on_time_probability": 0.45, "open_high_risks": 3},
            "red",
            ["on_time_probability", "open_high_risks"],
        ),
        ({}, "green", []),  # nothing measured: nothing to flag
    ],
)
def test_worst_rule_wins(values: dict[str, float], overall: str, reasons: list[str]) -> None:
    verdict = overall_status(values, RULES)
    assert verdict.overall == overall
    assert [m.name for m in verdict.reasons] == reasons


def test_equal_limits_keep_their_direction() -> None:
    """With amber == red an index that is fine above its limit must stay green above it."""
    verdict = overall_status(
        {"spi": 1.0, "open_high_risks": 0}, (("spi", 0.9, 0.9), ("open_high_risks", 0, 0))
    )
    assert verdict.overall == "green"
    verdict = overall_status({"spi": 0.8}, (("spi", 0.9, 0.9),))
    assert verdict.overall == "red"


def test_rules_are_configurable(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "project: {name: P, start: 2027-01-04, status_rules: {spi: {amber: 0.99, red: 0.97}}}\n"
        "tasks:\n  - {id: a, name: A, duration: 1d}\n"
    )
    rules = load_plan(path).info.status_rules
    assert ("spi", 0.99, 0.97) in rules
    assert ("cpi", 0.95, 0.9) in rules  # the others keep their defaults
    assert overall_status({"spi": 0.98}, rules).overall == "amber"
