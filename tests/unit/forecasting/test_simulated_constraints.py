"""A finish constraint holds in every iteration, whatever duration the iteration draws."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from techpm.forecasting.simulation import simulate
from techpm.services.planning import schedule_plan

DAY = 480


def test_finish_no_earlier_than_holds_for_every_drawn_duration(tmp_path: Path) -> None:
    # Start Monday 2027-01-04; "finish no earlier than" Friday 2027-01-15 is the end of the
    # 10th working day. A draw between 2 and 8 days starts 10 - d days in and finishes at
    # day 10 exactly: never earlier (a start bound of 10 - 5 = 5 days from the likely
    # duration would let a 3-day draw finish on day 8, before the date).
    path = tmp_path / "plan.yaml"
    path.write_text(
        "project: {name: C, start: 2027-01-04}\n"
        "tasks:\n"
        "  - {id: a, name: A, estimate: {optimistic: 2d, likely: 5d, pessimistic: 8d,"
        " distribution: uniform},\n"
        "     constraint: {type: finish_no_earlier_than, date: 2027-01-15}}\n"
        "  - {id: b, name: B, duration: 1d, after: [a]}\n"
    )
    problem = schedule_plan(path).problem
    sim = simulate(problem, 500, np.random.default_rng(4))
    # B follows: the project always finishes at the end of day 11
    assert set(((sim.finish_w - sim.start_w) / DAY).tolist()) == {11.0}


def test_start_no_later_than_is_met_whatever_the_duration(tmp_path: Path) -> None:
    # "start no later than" Monday 2027-01-04 on the first task: it always starts then, so
    # the limit is met in every iteration, however long the task turns out
    path = tmp_path / "plan.yaml"
    path.write_text(
        "project: {name: C, start: 2027-01-04}\n"
        "tasks:\n"
        "  - {id: a, name: A, estimate: {optimistic: 2d, likely: 3d, pessimistic: 8d},\n"
        "     constraint: {type: start_no_later_than, date: 2027-01-04}}\n"
    )
    problem = schedule_plan(path).problem
    sim = simulate(problem, 500, np.random.default_rng(4))
    assert sim.deadline_met == {"a": 500}
