"""Leveling whole plans: bookings never exceed capacity (checked by the independent
feasibility check), and with ample capacity leveling changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techpm.domain.calendar import CalendarSpec, default_week
from techpm.domain.dependency import Dependency, DependencyType
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.resource import Assignment, Resource
from techpm.domain.task import Task
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.feasibility import check
from techpm.scheduling.leveled import level_schedule
from techpm.scheduling.problem import compile_problem

START = date(2027, 1, 4)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def staffed_plans(draw: st.DrawFn, *, ample: bool = False, calendars: bool = False) -> Project:
    people = draw(st.integers(1, 3))
    resources = []
    for k in range(people):
        away = ()
        if not ample and draw(st.booleans()):
            first = START + timedelta(days=draw(st.integers(0, 20)))
            away = ((first, first + timedelta(days=draw(st.integers(0, 4)))),)
        own = "berlin" if calendars and draw(st.booleans()) else None
        resources.append(
            Resource(
                id=f"r{k}",
                name=f"R{k}",
                capacity=4 if ample else 1,
                vacations=away,
                calendar=own,
            )
        )
    n = draw(st.integers(1, 10))
    tasks, deps = [], []
    for j in range(n):
        days = draw(st.integers(0, 5))
        booked = draw(st.sets(st.integers(0, people - 1), max_size=2)) if days else set()
        tasks.append(
            Task(
                id=f"t{j}",
                name=f"T{j}",
                duration_minutes=days * 480 or None,
                milestone=days == 0,
                calendar="berlin" if calendars and draw(st.booleans()) else None,
                assignments=tuple(
                    Assignment(f"r{k}", 0.5 if ample else 1.0) for k in sorted(booked)
                ),
            )
        )
        if j:
            for i in draw(st.sets(st.integers(0, j - 1), max_size=2)):
                kind = draw(st.sampled_from([DependencyType.FS, DependencyType.SS]))
                deps.append(Dependency(f"t{i}", f"t{j}", kind, draw(st.sampled_from([0, 480]))))
    return Project(
        info=ProjectInfo(name="Staffed", start=START),
        calendars={
            "standard": CalendarSpec(id="standard", week=default_week()),
            # a team abroad: other days off, and one Saturday worked
            "berlin": CalendarSpec(
                id="berlin",
                base="standard",
                nonworking=frozenset(START + timedelta(days=d) for d in (3, 10, 11, 17)),
                working=frozenset({START + timedelta(days=5)}),
            ),
        },
        tasks=tuple(tasks),
        dependencies=tuple(deps),
        resources=tuple(resources),
    )


@SETTINGS
@given(staffed_plans())
def test_leveled_plans_pass_the_feasibility_check(project: Project) -> None:
    unleveled = schedule_problem(compile_problem(project))
    leveled = level_schedule(unleveled, engine="heuristic", time_limit=0.05)
    assert check(leveled) == []
    assert leveled.finish_minute >= unleveled.finish_minute
    assert all(f >= 0 for f in leveled.total_float)


@SETTINGS
@given(staffed_plans(ample=True))
def test_ample_capacity_keeps_the_critical_path_schedule(project: Project) -> None:
    unleveled = schedule_problem(compile_problem(project))
    leveled = level_schedule(unleveled, engine="heuristic", time_limit=0.05)
    assert leveled.finish_minute == unleveled.finish_minute
    assert check(leveled) == []


@SETTINGS
@given(staffed_plans(calendars=True))
def test_leveling_across_calendars_passes_the_check(project: Project) -> None:
    unleveled = schedule_problem(compile_problem(project))
    leveled = level_schedule(unleveled, engine="heuristic", time_limit=0.05)
    assert check(leveled) == []
