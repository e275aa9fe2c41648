"""Sprint capacity from calendars and past velocity, and filling a sprint by rank."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta

import pytest

from techpm.domain.calendar import CalendarSpec, HolidayRule, default_week
from techpm.domain.dependency import Dependency
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.resource import Resource, ResourceKind
from techpm.domain.sprint import Sprint
from techpm.domain.task import Task
from techpm.flow.capacity import (
    DEFAULT_POINTS_PER_PERSON_DAY,
    fill_sprint,
    member_time,
    sprint_capacity,
)
from techpm.flow.history import item_histories
from techpm.flow.metrics import SprintVelocity, velocity
from techpm.scheduling.timeline import HolidayLookup, no_holidays

from .scenario import SPRINTS, TASKS, WORKFLOW

ANN = Resource("ann", "Ann")
RAJ = Resource("raj", "Raj", vacations=((date(2027, 2, 3), date(2027, 2, 5)),))  # Wed-Fri
S3 = SPRINTS[2]  # Mon 1 Feb to Fri 12 Feb 2027: ten working days


def project(
    tasks: Sequence[Task] = TASKS,
    *,
    resources: Sequence[Resource] = (ANN, RAJ),
    sprints: Sequence[Sprint] = SPRINTS,
    dependencies: Sequence[Dependency] = (),
    calendars: Mapping[str, CalendarSpec] | None = None,
) -> Project:
    return Project(
        info=ProjectInfo("Checkout", date(2027, 1, 4)),
        calendars=dict(calendars or {}),
        tasks=tuple(tasks),
        dependencies=tuple(dependencies),
        resources=tuple(resources),
        workflow=WORKFLOW,
        sprints=tuple(sprints),
    )


def days_of(
    p: Project, sprint: Sprint = S3, holidays: HolidayLookup = no_holidays
) -> dict[str, float]:
    return {m.resource: m.person_days for m in member_time(p, sprint, holidays)}


def test_person_days_from_calendars_and_vacations() -> None:
    # ten working days of 8 h each; Raj is away Wednesday to Friday of the first week
    assert days_of(project()) == {"ann": 10.0, "raj": 7.0}


def test_public_holidays_part_time_calendars_and_allocation() -> None:
    calendars = {
        "standard": CalendarSpec("standard", week=default_week(), holidays=(HolidayRule("XX"),)),
        "mornings": CalendarSpec("mornings", base="standard", week=default_week(4)),
    }
    people = (
        ANN,
        Resource("kim", "Kim", calendar="mornings"),  # 4 h days: half a person-day each
        Resource("lee", "Lee", max_allocation=0.5),  # half of her time on this project
        Resource("ops", "Ops", kind=ResourceKind.TEAM, capacity=3),  # three people
        Resource("rig", "Test rig", kind=ResourceKind.EQUIPMENT),  # not in a sprint team
    )

    def holidays(rule: HolidayRule, year: int) -> dict[date, str]:
        return {date(2027, 2, 8): "Founders' day"}

    found = days_of(project(resources=people, calendars=calendars), holidays=holidays)
    # nine working days after Monday 8 Feb's holiday
    assert found == {"ann": 9.0, "kim": 4.5, "lee": 4.5, "ops": 27.0}


def test_the_sprint_team_chooses_who_counts() -> None:
    sprint = replace(S3, team=("raj",))
    assert days_of(project(), sprint) == {"raj": 7.0}


def test_capacity_stated_in_the_plan_wins() -> None:
    sprint = replace(S3, capacity=20)
    capacity = sprint_capacity(project(sprints=(*SPRINTS[:2], sprint)), sprint, ())
    assert (capacity.points, capacity.source, capacity.points_per_person_day) == (
        20,
        "stated",
        None,
    )
    assert capacity.person_days == 17


def test_capacity_from_past_velocity() -> None:
    p = project()
    past = velocity(item_histories(TASKS, WORKFLOW), SPRINTS, S3.start)
    capacity = sprint_capacity(p, S3, past)
    # s1 and s2 finished 8 points each with 20 person-days each (nobody away):
    # 16 / 40 = 0.4 points per person-day; s3 has 10 + 7 = 17 person-days: 6.8 points
    assert capacity.source == "velocity"
    assert [(b.sprint, b.points, b.person_days) for b in capacity.basis] == [
        ("s1", 8, 20),
        ("s2", 8, 20),
    ]
    assert capacity.points_per_person_day == pytest.approx(0.4)
    assert capacity.points == pytest.approx(6.8)


def test_only_the_last_three_sprints_that_finished_something_count() -> None:
    def two_weeks(name: str, monday: date) -> Sprint:
        return Sprint(name, name.upper(), monday, monday + timedelta(days=11))

    names = ("pz", "p0", "p1", "p2", "p3", "next")
    sprints = [two_weeks(n, date(2027, 1, 4) + timedelta(weeks=2 * k)) for k, n in enumerate(names)]
    rows = [
        SprintVelocity("pz", 4, 1, 0),  # a fourth sprint back: left out
        SprintVelocity("p0", 40, 4, 0),
        SprintVelocity("p1", 10, 2, 0),
        SprintVelocity("p2", 0, 0, 0),  # nothing finished: no evidence of a rate
        SprintVelocity("p3", 10, 1, 0),
        SprintVelocity("next", 99, 9, 0),  # the sprint being planned is not its own basis
    ]
    capacity = sprint_capacity(project(resources=(ANN,), sprints=sprints), sprints[-1], rows)
    # Ann alone, ten working days a sprint: (40 + 10 + 10) / 30 = 2 points per person-day,
    # times her ten days in the next sprint
    assert [b.sprint for b in capacity.basis] == ["p0", "p1", "p3"]
    assert capacity.points_per_person_day == pytest.approx(2.0)
    assert capacity.points == pytest.approx(20.0)


def test_default_rate_without_history() -> None:
    capacity = sprint_capacity(project(), S3, ())
    # SAFe's 8 points per person per two-week iteration: 0.8 per person-day, 17 days
    assert capacity.source == "default"
    assert capacity.points_per_person_day == DEFAULT_POINTS_PER_PERSON_DAY
    assert capacity.points == pytest.approx(0.8 * 17)


BACKLOG = (
    *TASKS,  # c (s1) and e (s2) are open in other sprints; a, b, d are done; f is open
    Task("g", "G", points=3, priority=700, status="todo"),
    Task("h", "H", points=5, priority=600, status="todo"),
    Task("i", "I", points=1, priority=800, status="todo"),
    Task("j", "J", points=1, priority=100, status="todo"),
    Task("k", "K", status="todo"),
    Task("m", "M", points=3, status="todo"),
    Task("n", "N", points=1, priority=50, status="todo"),
    Task("plain", "A scheduled task, not a backlog item"),
)
LINKS = (Dependency("g", "h"), Dependency("j", "i"), Dependency("h", "n"))


def test_fill_by_rank_with_dependencies() -> None:
    fill = fill_sprint(project(BACKLOG, dependencies=LINKS), S3, 6.8, WORKFLOW)
    # c (2 points, open in s1) and e (unestimated, open in s2) are carried over first:
    # 4.8 left. Then rank: i 800, g 700, h 600, f 500 (plan order before k and m), k, m,
    # j 100, n 50. Pass 1: i waits for j; g 3 (1.8 left); h 5 does not fit; f 1 (0.8);
    # m 3 and j 1 do not fit; n waits for h. Pass 2: nothing.
    assert [(c.id, c.rank, c.carried_from) for c in fill.chosen] == [
        ("c", 1, "s1"),
        ("e", 2, "s2"),
        ("g", 4, None),
        ("f", 6, None),
    ]
    assert fill.points == 6
    assert fill.carried_points == 2
    assert [(s.item.id, s.code) for s in fill.skipped] == [
        ("i", "sprint.waits_for"),
        ("h", "sprint.does_not_fit"),
        ("m", "sprint.does_not_fit"),
        ("j", "sprint.does_not_fit"),
        ("n", "sprint.waits_for"),
    ]
    assert fill.skipped[1].reason == "5 points do not fit in the 0.8 left"
    assert fill.skipped[4].reason == "waits for h (not done, not planned in this sprint)"
    assert [c.id for c in fill.unestimated] == ["k"]
    assert fill.elsewhere == 0


def test_items_already_in_the_sprint_go_first() -> None:
    tasks = (
        Task("top", "Top", points=3, priority=900, status="todo"),
        Task("mine", "Mine", points=3, priority=100, status="todo", sprint="s3"),
        Task("done", "Done", points=3, priority=1000, status="done", sprint="s3"),
    )
    fill = fill_sprint(project(tasks), S3, 4, WORKFLOW)
    assert [(c.id, c.rank, c.in_sprint) for c in fill.chosen] == [("mine", 1, True)]
    assert [s.item.id for s in fill.skipped] == ["top"]


def test_links_to_and_from_summaries() -> None:
    tasks = (
        Task("api", "API"),  # a summary: its leaves must be done or planned
        Task("api.read", "Read", parent="api", points=1, status="done"),
        Task("api.write", "Write", parent="api", points=2, status="todo", priority=100),
        Task("ui", "UI"),
        Task("ui.form", "Form", parent="ui", points=1, status="todo", priority=900),
    )
    links = (Dependency("api", "ui"),)  # a link to a summary binds every task in it
    fill = fill_sprint(project(tasks, dependencies=links), S3, 10, WORKFLOW)
    # pass 1: ui.form waits for api (api.write open); api.write taken. Pass 2: ui.form.
    assert [c.id for c in fill.chosen] == ["ui.form", "api.write"]
    fill = fill_sprint(project(tasks, dependencies=links), S3, 2, WORKFLOW)
    assert [c.id for c in fill.chosen] == ["api.write"]
    assert [(s.item.id, s.code) for s in fill.skipped] == [("ui.form", "sprint.does_not_fit")]
