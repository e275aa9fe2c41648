"""Work booked while the person is away is found exactly where it is, and never after
leveling (one calendar: leveling sees every absence)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from techpm.domain.calendar import CalendarSpec, default_week
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.resource import Assignment, Resource
from techpm.domain.task import Task
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.feasibility import absences
from techpm.scheduling.leveled import level_schedule
from techpm.scheduling.problem import compile_problem
from techpm.scheduling.result import Schedule

START = date(2027, 1, 4)  # a Monday


@st.composite
def plans(draw: st.DrawFn) -> Project:
    resources = []
    for k in range(2):
        first = START + timedelta(days=draw(st.integers(0, 15)))
        away = ((first, first + timedelta(days=draw(st.integers(0, 4)))),)
        resources.append(Resource(id=f"r{k}", name=f"R{k}", vacations=away))
    tasks = [
        Task(
            id=f"t{j}",
            name=f"T{j}",
            duration_minutes=draw(st.integers(1, 6)) * 480,
            assignments=(Assignment(f"r{draw(st.integers(0, 1))}"),),
        )
        for j in range(draw(st.integers(1, 5)))
    ]
    return Project(
        info=ProjectInfo(name="Away", start=START),
        calendars={"standard": CalendarSpec(id="standard", week=default_week())},
        tasks=tuple(tasks),
        resources=tuple(resources),
    )


def _away(schedule: Schedule) -> set[tuple[str, str]]:
    found = absences(
        schedule.problem, schedule.early_start_at, schedule.early_finish_at, schedule.bookings
    )
    return {(b.subjects[0], b.subjects[1]) for b in found}


def _by_hand(schedule: Schedule) -> set[tuple[str, str]]:
    """A weekday of the task's span that is a vacation day of its person."""
    project = schedule.problem.project
    out = set()
    for row in schedule.rows:
        person = project.task_by_id[row.id].assignments[0].resource
        first, last = project.resource_by_id[person].vacations[0]
        day = row.start.date()
        while day <= row.finish.date():
            if day.weekday() < 5 and first <= day <= last:
                out.add((person, row.id))
            day += timedelta(days=1)
    return out


@settings(max_examples=40, deadline=None)
@given(plans())
def test_absences_are_found_where_a_hand_count_finds_them(project: Project) -> None:
    unleveled = schedule_problem(compile_problem(project))
    assert _away(unleveled) == _by_hand(unleveled)
    leveled = level_schedule(unleveled, engine="heuristic", time_limit=0.05)
    assert _away(leveled) == set()
