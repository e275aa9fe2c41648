"""Invariants of the schedule on random acyclic networks (hypothesis)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techpm.domain.calendar import CalendarSpec, default_week
from techpm.domain.dependency import Dependency, DependencyType
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.task import Constraint, ConstraintType, Task
from techpm.scheduling.cpm import schedule_problem
from techpm.scheduling.problem import compile_problem
from techpm.scheduling.result import DRIVER_START, Schedule

START = date(2027, 1, 4)
HOUR = 60
TYPES = list(DependencyType)
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def networks(
    draw: st.DrawFn, *, calendars: bool = False, constraints: bool = False, actuals: bool = False
) -> Project:
    n = draw(st.integers(1, 18))
    tasks: list[Task] = []
    deps: list[Dependency] = []
    for j in range(n):
        hours = draw(st.sampled_from([0, 2, 4, 8, 16, 24, 40, 80]))
        extra: dict[str, object] = {}
        if calendars and draw(st.booleans()):
            extra["calendar"] = draw(st.sampled_from(["late-week", "part-time"]))
        if constraints and draw(st.integers(0, 4)) == 0:
            ctype = draw(st.sampled_from(list(ConstraintType)))
            on = START + timedelta(days=draw(st.integers(0, 40)))
            extra["constraints"] = (Constraint(ctype, on),)
        if constraints and draw(st.integers(0, 6)) == 0:
            extra["deadline"] = START + timedelta(days=draw(st.integers(0, 60)))
        if actuals and draw(st.integers(0, 4)) == 0:
            began = START + timedelta(days=draw(st.integers(0, 20)))
            extra["actual_start"] = began
            if draw(st.booleans()):
                extra["actual_finish"] = began + timedelta(days=draw(st.integers(0, 10)))
                extra["percent_complete"] = 100.0
        tasks.append(
            Task(
                id=f"t{j}",
                name=f"Task {j}",
                duration_minutes=hours * HOUR if hours else None,
                milestone=hours == 0,
                **extra,  # type: ignore[arg-type]
            )
        )
        if j:
            for i in draw(st.sets(st.integers(0, j - 1), max_size=3)):
                kind = draw(st.sampled_from(TYPES))
                lag = draw(st.sampled_from([0, 0, 0, 4, 8, 16, -8, -4])) * HOUR
                deps.append(Dependency(f"t{i}", f"t{j}", kind, lag))
    holidays = draw(st.sets(st.integers(0, 60), max_size=6))
    nonworking = frozenset(START + timedelta(days=d) for d in holidays)
    return Project(
        info=ProjectInfo(name="Random", start=START),
        calendars={
            "standard": CalendarSpec(id="standard", week=default_week(), nonworking=nonworking),
            "late-week": CalendarSpec(
                id="late-week", base="standard", week=default_week(8, (2, 3, 4, 5))
            ),
            "part-time": CalendarSpec(id="part-time", base="standard", week=default_week(4)),
        },
        tasks=tuple(tasks),
        dependencies=tuple(deps),
    )


def _schedule(project: Project, engine: str = "auto") -> Schedule:
    return schedule_problem(compile_problem(project), engine=engine)  # type: ignore[arg-type]


def _assert_links_hold(result: Schedule) -> None:
    problem = result.problem
    for k in range(len(problem.edges)):
        edge = problem.edges[k]
        i, j = edge.pred, edge.succ
        tl_j = problem.timelines[problem.calendar_idx[j]]
        ref_at = result.early_finish_at[i] if edge.type.from_finish else result.early_start_at[i]
        target = result.early_finish_w[j] if edge.type.to_finish else result.early_start_w[j]
        assert tl_j.to_work(ref_at) + edge.lag_minutes <= target, (edge, result.problem.ids)


@PROPERTY_SETTINGS
@given(networks(calendars=True))
def test_every_link_holds_and_nothing_starts_before_the_project(project: Project) -> None:
    result = _schedule(project)
    _assert_links_hold(result)
    problem = result.problem
    for j in range(problem.size):
        assert result.early_start_at[j] >= problem.start_minute
        assert result.early_finish_at[j] >= result.early_start_at[j]
        assert result.early_finish_at[j] <= result.finish_minute


@PROPERTY_SETTINGS
@given(networks(calendars=True))
def test_float_is_never_negative_without_constraints(project: Project) -> None:
    result = _schedule(project)
    assert all(f >= 0 for f in result.total_float)
    assert all(0 <= ff <= tf for ff, tf in zip(result.free_float, result.total_float, strict=True))
    assert not [d for d in result.diagnostics if d.code == "schedule.negative_float"]


@PROPERTY_SETTINGS
@given(networks())
def test_a_critical_path_runs_unbroken_from_start_to_finish(project: Project) -> None:
    result = _schedule(project)
    problem = result.problem
    index = problem.index
    project_calendar = problem.timelines[0]
    start_w = project_calendar.to_work(problem.start_minute)
    # compared in working time: a milestone lagged from a morning milestone sits on the next
    # morning (as MS Project shows it), the same working instant as the evening before
    finish_w = project_calendar.to_work(result.finish_minute)
    full = [
        path
        for path in result.critical_paths
        if result.early_start_w[index[path[0]]] == start_w
        and project_calendar.to_work(result.early_finish_at[index[path[-1]]]) == finish_w
    ]
    assert full, result.critical_paths
    for path in full:
        assert result.driver[index[path[0]]] == DRIVER_START
        for task_id in path:
            j = index[task_id]
            assert result.critical[j]
            assert result.late_start_w[j] == result.early_start_w[j]
            assert result.late_finish_w[j] == result.early_finish_w[j]
        for a, b in itertools.pairwise(path):
            links = [
                k
                for k in range(len(problem.edges))
                if (problem.edges.pred[k], problem.edges.succ[k]) == (index[a], index[b])
            ]
            assert any(result.edge_slack(k) == 0 for k in links)


@PROPERTY_SETTINGS
@given(networks(constraints=True, actuals=True))
def test_vector_and_scalar_engines_agree(project: Project) -> None:
    fast = _schedule(project, "vector")
    reference = _schedule(project, "scalar")
    for field in (
        "early_start_w",
        "early_finish_w",
        "late_start_w",
        "late_finish_w",
        "early_start_at",
        "early_finish_at",
        "late_start_at",
        "late_finish_at",
        "total_float",
        "free_float",
        "critical",
        "driver",
    ):
        assert getattr(fast, field) == getattr(reference, field), field
    assert fast.diagnostics == reference.diagnostics


@PROPERTY_SETTINGS
@given(networks(constraints=True))
def test_late_constraints_show_as_negative_float_not_failures(project: Project) -> None:
    result = _schedule(project)
    violated = [c for c in result.constraint_checks if not c.holds and c.kind != "must_start_on"]
    negative = {d for diag in result.diagnostics for d in diag.subjects}
    for check in violated:
        if check.kind in ("finish_no_later_than", "deadline", "start_no_later_than"):
            j = result.problem.index[check.task_id]
            assert result.total_float[j] < 0
            assert check.task_id in negative
