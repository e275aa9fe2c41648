"""The changes between two plans, in plan-file terms: what a reader of the history or of
`techpm push` sees, entry by entry, field by field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from techpm.domain.calendar import STANDARD_CALENDAR
from techpm.domain.dependency import Dependency, DependencyType
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.resource import Assignment, Resource
from techpm.domain.task import Task
from techpm.interop.planfile.dump import plan_document
from techpm.services.plan_diff import Change, diff_plans

DAY = 480  # minutes in a working day of the default units


def plan(
    *tasks: Task, deps: tuple[Dependency, ...] = (), people: tuple[Resource, ...] = ()
) -> Project:
    return Project(
        info=ProjectInfo("Demo", date(2027, 1, 4)),
        calendars={"standard": STANDARD_CALENDAR},
        tasks=tasks,
        dependencies=deps,
        resources=people,
    )


A = Task("a", "Design", duration_minutes=2 * DAY)
B = Task("b", "Build", duration_minutes=3 * DAY, assignments=(Assignment("ann"),))
ANN = Resource("ann", "Ann")
BASE = plan(A, B, deps=(Dependency("a", "b"),), people=(ANN,))


def test_the_same_plan_changes_nothing() -> None:
    assert diff_plans(BASE, BASE) == ()


def test_an_added_task_is_one_change_with_its_entry() -> None:
    c = Task("c", "Ship", milestone=True)
    changes = diff_plans(BASE, replace(BASE, tasks=(A, B, c)))
    assert changes == (
        Change("task", "c", "added", None, None, {"id": "c", "name": "Ship", "milestone": True}),
    )


def test_a_removed_task_takes_its_dependency_and_assignment() -> None:
    changes = diff_plans(BASE, replace(BASE, tasks=(A,), dependencies=()))
    assert [(c.entity, c.key, c.action) for c in changes] == [
        ("task", "b", "removed"),
        ("dependency", "a->b", "removed"),
        ("assignment", "b/ann", "removed"),
    ]
    assert changes[0].old["name"] == "Build"
    assert changes[0].new is None


def test_a_changed_duration_shows_old_and_new_as_the_plan_file_spells_them() -> None:
    longer = replace(BASE, tasks=(replace(A, duration_minutes=5 * DAY), B))
    assert diff_plans(BASE, longer) == (Change("task", "a", "changed", "duration", "2d", "5d"),)


def test_a_default_left_shows_the_default_as_old_value() -> None:
    started = replace(BASE, tasks=(replace(A, percent_complete=40), B))
    assert diff_plans(BASE, started) == (Change("task", "a", "changed", "percent_complete", 0, 40),)


def test_a_dependency_lag_changes_the_link_and_the_successors_after() -> None:
    lagged = replace(BASE, dependencies=(Dependency("a", "b", lag_minutes=DAY),))
    changes = diff_plans(BASE, lagged)
    assert changes == (
        Change("task", "b", "changed", "after", ["a"], [{"task": "a", "type": "FS", "lag": "1d"}]),
        Change("dependency", "a->b", "changed", "lag", None, "1d"),
    )


def test_a_dependency_type_change_is_its_own_field() -> None:
    ss = replace(BASE, dependencies=(Dependency("a", "b", DependencyType.SS),))
    link = [c for c in diff_plans(BASE, ss) if c.entity == "dependency"]
    assert link == [Change("dependency", "a->b", "changed", "type", "FS", "SS")]


def test_a_renamed_resource_changes_its_name_only() -> None:
    renamed = replace(BASE, resources=(replace(ANN, name="Ann Lee"),))
    assert diff_plans(BASE, renamed) == (
        Change("resource", "ann", "changed", "name", "Ann", "Ann Lee"),
    )


def test_a_task_moved_under_another_shows_its_parent() -> None:
    nested = replace(BASE, tasks=(A, replace(B, parent="a")))
    assert diff_plans(BASE, nested) == (Change("task", "b", "changed", "parent", None, "a"),)


def test_reordered_tasks_say_the_order_changed() -> None:
    swapped = replace(BASE, tasks=(B, A))
    assert diff_plans(BASE, swapped) == (
        Change("task", "", "changed", "order", ["a", "b"], ["b", "a"]),
    )


def test_project_fields_and_whole_parts_are_keyed_by_the_plan_file() -> None:
    other = replace(BASE, info=replace(BASE.info, name="Renamed"), decisions=("go?",))
    assert diff_plans(BASE, other) == (
        Change("project", "", "changed", "name", "Demo", "Renamed"),
        Change("decisions", "", "changed", "decisions", [], ["go?"]),
    )


# ---- properties ----------------------------------------------------------------------

IDS = ["a", "b", "c", "d", "e"]


@st.composite
def plans(draw: st.DrawFn) -> Project:
    ids = draw(st.lists(st.sampled_from(IDS), unique=True, max_size=5))
    tasks = []
    for i, tid in enumerate(ids):
        parent = draw(st.sampled_from([None, *ids[:i]]))
        tasks.append(
            Task(
                tid,
                draw(st.sampled_from(["x", "y"])),
                parent=parent,
                duration_minutes=draw(st.sampled_from([None, DAY, 2 * DAY])),
                percent_complete=draw(st.sampled_from([0, 50])),
                assignments=tuple(Assignment("ann") for _ in range(draw(st.integers(0, 1)))),
            )
        )
    pairs = [(p, s) for i, p in enumerate(ids) for s in ids[i + 1 :]]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=4)) if pairs else []
    deps = tuple(Dependency(p, s, lag_minutes=draw(st.sampled_from([0, DAY]))) for p, s in chosen)
    name = draw(st.sampled_from(["Ann", "Bob"]))
    return plan(*tasks, deps=deps, people=(Resource("ann", name),))


@settings(max_examples=200, deadline=None)
@given(plans())
def test_a_plan_differs_from_itself_in_nothing(project: Project) -> None:
    assert diff_plans(project, project) == ()


@settings(max_examples=300, deadline=None)
@given(plans(), plans())
def test_different_plan_files_have_changes(a: Project, b: Project) -> None:
    changes = diff_plans(a, b)
    assert (plan_document(a) != plan_document(b)) <= bool(changes)
    assert diff_plans(a, b) == changes  # the same order every time
