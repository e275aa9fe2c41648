"""Simulated milestone dates sit where the deterministic schedule puts them: at the end of
the day their predecessor finishes, or at the start of the day a constraint names."""

from __future__ import annotations

from pathlib import Path

from techpm.services.planning import schedule_plan
from techpm.services.simulating import simulate_plan

PLAN = """\
project: {name: M, start: 2027-03-01}
tasks:
  - {id: a, name: A, duration: 2d}
  - {id: m1, name: After A, milestone: true, after: [a]}
  - {id: m2, name: Fixed, milestone: true,
     constraint: {type: start_no_earlier_than, date: 2027-03-08}}
  - {id: b, name: B, duration: 1d, after: [m2]}
"""


def test_without_uncertainty_milestones_keep_their_dates(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    rows = {row.id: row for row in schedule_plan(path).rows}
    summary = simulate_plan(path, iterations=20, seed=1)
    assert rows["m1"].finish.date().isoformat() == "2027-03-02"  # Tuesday 17:00
    assert rows["m2"].finish.date().isoformat() == "2027-03-08"  # Monday 09:00
    for milestone in ("m1", "m2"):
        for value in summary.milestones[milestone].values():
            assert value.date() == rows[milestone].finish.date(), milestone
