"""Actual dates are shown as recorded, and verify checks that progress is consistent.

The plans run Mon-Fri 09:00-17:00 (the standard calendar) from Mon 2027-01-04.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings

import techpm
from techpm.domain.project import Project
from techpm.scheduling.actuals_check import check_actuals
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.feasibility import check, check_schedule
from techpm.scheduling.problem import compile_problem
from techpm.scheduling.result import Schedule

from .test_properties import networks

WEEKEND = """
project: {name: Weekend, start: 2027-01-04, status_date: 2027-01-13}
tasks:
  - {id: a, name: A, duration: 5d, actual_start: 2027-01-04, actual_finish: 2027-01-08,
     percent_complete: 100}
  - {id: w, name: Weekend fix, duration: 1d, after: [a], actual_start: 2027-01-09,
     actual_finish: 2027-01-10, percent_complete: 100}
  - {id: c, name: C, duration: 2d, after: [w]}
"""


def _plan(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _row(result: Schedule, task_id: str) -> tuple[datetime, datetime]:
    row = result.row(task_id)
    return row.start, row.finish


def test_weekend_actuals_are_shown_as_recorded(tmp_path: Path) -> None:
    result = techpm.schedule(_plan(tmp_path, WEEKEND))
    # Saturday 2027-01-09 and Sunday 2027-01-10 have no working hours: the dates are kept
    # as written, at the calendar's usual start (09:00) and end (17:00) of a day.
    assert _row(result, "w") == (datetime(2027, 1, 9, 9), datetime(2027, 1, 10, 17))
    start, finish = _row(result, "w")
    assert finish >= start
    # finished work has no float: its late dates are its dates
    row = result.row("w")
    assert (row.late_start, row.late_finish) == (row.start, row.finish)
    # c waits for w (finished Sunday) and for the status date (Wed 13): Thu 14 - Fri 15
    assert _row(result, "c") == (datetime(2027, 1, 14, 9), datetime(2027, 1, 15, 17))
    assert check(result) == []


def test_weekday_actuals_keep_working_hours(tmp_path: Path) -> None:
    result = techpm.schedule(_plan(tmp_path, WEEKEND))
    assert _row(result, "a") == (datetime(2027, 1, 4, 9), datetime(2027, 1, 8, 17))


def test_verify_rejects_dates_that_contradict_the_record(tmp_path: Path) -> None:
    result = techpm.schedule(_plan(tmp_path, WEEKEND))
    problem = result.problem
    starts, finishes = list(result.early_start_at), list(result.early_finish_at)
    w = problem.index["w"]
    # the old display: Monday 09:00 to Friday 17:00, a finish before the start
    monday = problem.moment_minute(datetime(2027, 1, 11, 9), finish=False)
    friday = problem.moment_minute(datetime(2027, 1, 8, 17), finish=False)
    starts[w], finishes[w] = monday, friday
    breaches = check_schedule(problem, starts, finishes, result.bookings)
    kinds = sorted({b.kind for b in breaches})
    assert kinds == ["actual", "order"]
    assert all("w" in b.subjects for b in breaches)
    assert any("finishes before it starts" in b.message for b in breaches)


def test_verify_rejects_progress_after_the_status_date(tmp_path: Path) -> None:
    text = WEEKEND.replace(
        "2027-01-09,\n     actual_finish: 2027-01-10", "2027-01-20,\n     actual_finish: 2027-01-21"
    )
    result = techpm.schedule(_plan(tmp_path, text))
    breaches = check(result)
    assert [b.kind for b in breaches] == ["actual", "actual"]
    assert all(b.subjects == ("w",) for b in breaches)
    assert "after the status date 2027-01-13" in breaches[0].message


def test_verify_rejects_work_left_before_the_status_date(tmp_path: Path) -> None:
    result = techpm.schedule(_plan(tmp_path, WEEKEND))
    problem = result.problem
    starts, finishes = list(result.early_start_at), list(result.early_finish_at)
    c = problem.index["c"]
    # c is not started by Wed 13: a schedule that runs it Mon 11 - Tue 12 cannot be
    starts[c] = problem.moment_minute(datetime(2027, 1, 11, 9), finish=False)
    finishes[c] = problem.moment_minute(datetime(2027, 1, 12, 17), finish=False)
    breaches = check_schedule(problem, starts, finishes, result.bookings)
    assert [(b.kind, b.subjects) for b in breaches] == [("status", ("c",))]


MILESTONES = """
project: {name: Milestones, start: 2027-01-04, status_date: 2027-01-08}
tasks:
  - {id: kick, name: Kickoff, milestone: true, actual_start: 2027-01-04,
     actual_finish: 2027-01-04}
  - {id: design, name: Design, duration: 5d, after: [kick], actual_start: 2027-01-04,
     actual_finish: 2027-01-08}
  - {id: done, name: Design done, milestone: true, after: [design], actual_start: 2027-01-08,
     actual_finish: 2027-01-08}
  - {id: build, name: Build, duration: 3d, after: [done]}
"""


def test_a_recorded_milestone_keeps_its_side_of_the_day(tmp_path: Path) -> None:
    result = techpm.schedule(_plan(tmp_path, MILESTONES))
    # Kickoff has no predecessor: it sits at the start of Mon 4, where design starts.
    assert _row(result, "kick") == (datetime(2027, 1, 4, 9), datetime(2027, 1, 4, 9))
    # Design done follows a finish: the evening of Fri 8, when design finished.
    assert _row(result, "done") == (datetime(2027, 1, 8, 17), datetime(2027, 1, 8, 17))
    assert result.row("done").duration_minutes == 0
    # nothing started before what it follows
    assert [d.code for d in result.diagnostics] == []
    assert _row(result, "build") == (datetime(2027, 1, 11, 9), datetime(2027, 1, 13, 17))


def test_out_of_sequence_names_the_predecessor(tmp_path: Path) -> None:
    text = """
project: {name: Order, start: 2027-01-04}
tasks:
  - {id: spec, name: Spec, duration: 5d}
  - {id: code, name: Code, duration: 2d, after: [spec], actual_start: 2027-01-06}
"""
    result = techpm.schedule(_plan(tmp_path, text))
    found = [d for d in result.diagnostics if d.code == "progress.out_of_sequence"]
    assert len(found) == 1
    # spec runs Mon 4 - Fri 8; code actually started Wed 6, before spec finished
    assert found[0].subjects == ("code", "spec")
    assert "'spec'" in found[0].message
    assert "2027-01-06" in found[0].message
    assert "2027-01-08" in found[0].message


def test_leveling_keeps_recorded_milestones(tmp_path: Path) -> None:
    text = MILESTONES.replace("tasks:", "resources:\n  - {id: ann, name: Ann}\ntasks:").replace(
        "duration: 3d, after: [done]}", "duration: 3d, after: [done], assign: [{resource: ann}]}"
    )
    leveled = techpm.schedule(_plan(tmp_path, text), level=True, engine="heuristic")
    assert leveled.leveling is not None
    assert _row(leveled, "kick") == (datetime(2027, 1, 4, 9), datetime(2027, 1, 4, 9))
    assert _row(leveled, "done") == (datetime(2027, 1, 8, 17), datetime(2027, 1, 8, 17))
    assert check(leveled) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(calendars=True, actuals=True))
def test_recorded_dates_are_always_shown_on_their_day(project: Project) -> None:
    """On random networks over three calendars with actual dates on any day of the week:
    every recorded date is shown on that day, nothing finishes before it starts, finished
    work has its late dates equal to its dates, and the check finds nothing to say."""
    result = schedule_problem(compile_problem(project))
    problem = result.problem
    day = problem.timelines[0].day_of
    for j, start, finish in problem.recorded:
        task = project.task_by_id[problem.ids[j]]
        if start is not None:
            assert result.early_start_at[j] == start
            assert day(start) == task.actual_start
        if finish is not None:
            assert day(result.early_finish_at[j]) == task.actual_finish
        if problem.complete[j]:
            assert result.late_start_at[j] == result.early_start_at[j]
            assert result.late_finish_at[j] == result.early_finish_at[j]
    assert all(f >= s for s, f in zip(result.early_start_at, result.early_finish_at, strict=True))
    assert check_actuals(problem, result.early_start_at, result.early_finish_at) == []
