"""The vectorised passes on several calendars give, iteration by iteration, the dates and
critical tasks of the task-by-task reference passes run on the same durations."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from techpm.domain.project import Project
from techpm.forecasting.iteration_bounds import iteration_bounds
from techpm.forecasting.mixed_calendars import mixed_passes
from techpm.forecasting.mixed_network import MixedNetwork
from techpm.forecasting.simulation import simulate
from techpm.forecasting.work_maps import WorkMaps
from techpm.scheduling.bounds import task_bounds
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.problem import ScheduleProblem, compile_problem
from techpm.services.planning import schedule_plan
from tests.unit.scheduling.test_properties import networks

ITERATIONS = 6
MINUTES = [0, 30, 60, 240, 480, 500, 960, 2400, 4800]


def _reference(problem: ScheduleProblem, minutes: np.ndarray) -> dict[str, np.ndarray]:
    """The reference engine, one iteration (column) at a time."""
    tls = problem.timelines
    out: dict[str, list[list[int]]] = {k: [] for k in ("es", "ef", "own", "scaled", "crit")}
    finish = []
    for column in minutes.T:
        run = schedule_problem(replace(problem, duration=tuple(column.tolist())), engine="scalar")
        out["es"].append(run.early_start_w)
        out["ef"].append(run.early_finish_w)
        at = run.early_finish_at
        out["own"].append(
            [tls[c].to_work(m) for c, m in zip(problem.calendar_idx, at, strict=True)]
        )
        out["scaled"].append([tls[0].to_work(m) for m in at])
        out["crit"].append([int(c) for c in run.critical])
        finish.append(tls[0].to_work(run.finish_minute))
    result = {k: np.asarray(v, dtype=np.int64).T for k, v in out.items()}
    result["finish"] = np.asarray(finish, dtype=np.int64)
    return result


def _assert_same(problem: ScheduleProblem, minutes: np.ndarray) -> None:
    bounds = task_bounds(problem)
    network = MixedNetwork(problem, bounds)
    maps = WorkMaps(problem.timelines)  # tables grow as offsets appear
    run = mixed_passes(network, maps, minutes, iteration_bounds(problem, bounds, minutes))
    expected = _reference(problem, minutes)
    np.testing.assert_array_equal(run.es, expected["es"])
    np.testing.assert_array_equal(run.ef, expected["ef"])
    np.testing.assert_array_equal(run.finish, expected["finish"])
    np.testing.assert_array_equal(run.finish_own, expected["own"])
    milestones = np.asarray(problem.milestone)
    np.testing.assert_array_equal(run.finish_scaled[milestones], expected["scaled"][milestones])
    np.testing.assert_array_equal(run.critical, expected["crit"].sum(axis=1))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    networks(calendars=True, constraints=True, actuals=True),
    st.integers(0, 2**32 - 1),
    st.none() | st.integers(0, 15),
)
def test_random_networks_on_several_calendars(
    project: Project, seed: int, status_day: int | None
) -> None:
    if status_day is not None:  # work not started by the status date starts after it
        status = project.info.start + timedelta(days=status_day)
        project = replace(project, info=replace(project.info, status_date=status))
    problem = compile_problem(project)
    assume(not problem.single_calendar)
    rng = np.random.default_rng(seed)
    base = np.asarray(problem.duration, dtype=np.int64)[:, None]
    drawn = rng.choice(MINUTES, size=(problem.size, ITERATIONS))
    # the first iteration keeps the plan's durations; milestones mostly stay points
    minutes = np.where(rng.random(drawn.shape) < 0.3, base, drawn)
    minutes[:, 0] = base[:, 0]
    _assert_same(problem, minutes.astype(np.int64))


PLAN = """\
project: {name: Release, start: 2027-04-26, calendar: us}
calendars:
  us: {workweek: [mon, tue, wed, thu, fri], hours_per_day: 8, holidays: {country: US}}
  berlin: {workweek: [mon, tue, wed, thu, fri], hours: ['08:00-12:00', '13:00-17:00'],
           holidays: {country: DE, subdiv: BE}}
tasks:
  - {id: a, name: A, estimate: {optimistic: 2d, likely: 3d, pessimistic: 8d}}
  - {id: b, name: B, calendar: berlin, after: [a],
     estimate: {optimistic: 1d, likely: 2d, pessimistic: 6d}}
  - {id: m, name: Handover, milestone: true, calendar: berlin, after: [b]}
  - {id: c, name: C, after: [m, {task: a, type: SS, lag: 1d}],
     estimate: {optimistic: 1d, likely: 4d, pessimistic: 9d}}
  - {id: d, name: D, calendar: berlin, after: [{task: c, type: FF, lag: -2h}], duration: 1d,
     constraint: {type: finish_no_earlier_than, date: 2027-05-20}}
  - {id: done, name: Done, milestone: true, after: [d, c]}
risks:
  - {id: r, title: R, probability: 0.4, impact: {schedule: [{task: b, delay: 3d}]}}
"""


def test_simulation_on_two_calendars_matches_the_reference_per_iteration(tmp_path: Path) -> None:
    # Whit Monday (2027-05-17) is a holiday in Berlin and not in the US; Memorial Day
    # (2027-05-31) the other way round: links between the calendars cross both
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    problem = schedule_plan(path).problem
    assert not problem.single_calendar
    sim = simulate(problem, 300, np.random.default_rng(5), keep_durations=True)
    minutes = np.rint(np.concatenate(sim.durations, axis=1)).astype(np.int64)
    expected = _reference(problem, minutes)
    np.testing.assert_array_equal(sim.finish_w, expected["finish"])
    np.testing.assert_array_equal(sim.milestones["m"], expected["scaled"][problem.index["m"]])
    np.testing.assert_array_equal(sim.critical_count, expected["crit"].sum(axis=1))


def test_a_milestone_on_another_calendar_keeps_the_morning_of_what_it_follows(
    tmp_path: Path,
) -> None:
    # On a 4-hour calendar (09:00-13:00) x runs Monday 09:00-13:00 and y starts Tuesday
    # 09:00, the same working instant as x's finish. m follows x's finish and y's start:
    # shown at Tuesday 09:00 (never the evening before what it follows), which on the
    # project's 8-hour calendar is 8 h after the start, not the 4 h of Monday 13:00.
    path = tmp_path / "plan.yaml"
    path.write_text(
        "project: {name: M, start: 2027-01-04}\n"
        "calendars:\n  standard: {hours_per_day: 8}\n  part: {base: standard, hours_per_day: 4}\n"
        "tasks:\n"
        "  - {id: x, name: X, duration: 4h, calendar: part}\n"
        "  - {id: y, name: Y, duration: 4h, calendar: part, after: [x]}\n"
        "  - {id: m, name: M, milestone: true, calendar: part,"
        " after: [x, {task: y, type: SS}]}\n"
        "  - {id: z, name: Z, duration: 1d, after: [y]}\n"
    )
    problem = schedule_plan(path).problem
    sim = simulate(problem, 3, np.random.default_rng(0))
    assert (sim.milestones["m"] - sim.start_w).tolist() == [480.0] * 3
