"""Syncing a stored plan edits its rows in place: the plan read back is the plan given,
rows that did not change keep their ids and versions, a changed row's version moves by one,
and the project's version moves once when anything changed and not at all otherwise."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from techpm.domain.calendar import STANDARD_CALENDAR, HolidayRule
from techpm.domain.dependency import Dependency
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.resource import Assignment, Resource
from techpm.domain.task import Task
from techpm.persistence.mappers import add_project
from techpm.persistence.reading import find_project, read_project
from techpm.persistence.rows import AssignmentRow, DependencyRow, ProjectRow, TaskRow
from techpm.persistence.sync import STORED_KEYS, sync_plan
from techpm.services.planning import load_plan

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted(ROOT.glob("examples/*.yaml"))
DAY = 480


def versions(session: Session, row: ProjectRow) -> dict[tuple[str, int], int]:
    """Every plan row's version by table and id."""
    out = {}
    for table in STORED_KEYS:
        query = select(table.id, table.version).where(table.project_id == row.id)  # type: ignore[attr-defined]
        out.update({(table.__name__, i): v for i, v in session.execute(query)})
    return out


@pytest.fixture(params=["whole", "scoped"])
def sync(request: pytest.FixtureRequest) -> Any:
    """Sync comparing every row, or (given the stored plan) only the parts that differ."""

    def run(session: Session, row: ProjectRow, project: Project) -> None:
        old = read_project(session, row) if request.param == "scoped" else None
        sync_plan(session, row, project, old=old)

    return run


def stored(session: Session, project: Project) -> ProjectRow:
    row = add_project(session, project, key="PLAN")
    session.commit()
    return row


def read_back(session: Session) -> Project:
    session.expunge_all()  # from the database, not from the session's rows
    return read_project(session, find_project(session, "PLAN"))


def changed_copy(project: Project) -> Project:
    """A longer first leaf, a new task after it, and a renamed first resource."""
    leaf = next(t for t in project.tasks if not project.is_summary(t.id) and t.duration_minutes)
    tasks = [
        replace(t, duration_minutes=t.duration_minutes + DAY) if t is leaf else t
        for t in project.tasks
    ]
    extra = Task("zz-added", "Added later", duration_minutes=DAY, parent=leaf.parent)
    resources = list(project.resources)
    if resources:
        resources[0] = replace(resources[0], name=resources[0].name + " (renamed)")
    return replace(
        project,
        tasks=(*tasks, extra),
        dependencies=(*project.dependencies, Dependency(leaf.id, extra.id, lag_minutes=DAY)),
        resources=tuple(resources),
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_an_example_synced_to_a_changed_copy_reads_back_as_the_copy(
    session: Session, sync: Any, path: Path
) -> None:
    project = load_plan(path)
    row = stored(session, project)
    before = versions(session, row)
    changed = changed_copy(project)
    sync(session, row, changed)
    session.commit()
    after = versions(session, row)
    moved = {k for k in before if after[k] != before[k]}
    assert read_back(session) == changed
    assert set(before) <= set(after)  # nothing deleted, nothing re-inserted
    assert {table for table, _ in moved} <= {"TaskRow", "ResourceRow"}
    assert all(after[k] == before[k] + 1 for k in moved)


def changed_everywhere(project: Project) -> Project:
    """Every other part changed: the project, a calendar's days and holidays, the risks,
    RACI, stakeholders and backlog reordered or cut, a decision added."""
    first, spec = next(iter(project.calendars.items()))
    calendar = replace(
        spec,
        nonworking=spec.nonworking | {date(2031, 12, 24)},
        holidays=(*(spec.holidays or ()), HolidayRule("FR")),
    )
    return replace(
        project,
        info=replace(project.info, name="Elsewhere"),
        calendars={**project.calendars, first: calendar},
        risks=tuple(reversed(project.risks)),
        raci=project.raci[:-1],
        stakeholders=tuple(replace(s, name=s.name + "!") for s in project.stakeholders),
        ideas=project.ideas[1:],
        sprints=tuple(reversed(project.sprints)),
        decisions=(*project.decisions, "Go or no go?"),
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_part_of_an_example_syncs(session: Session, sync: Any, path: Path) -> None:
    project = load_plan(path)
    row = stored(session, project)
    tasks_before = {k: v for k, v in versions(session, row).items() if k[0] == "TaskRow"}
    changed = changed_everywhere(project)
    sync(session, row, changed)
    session.commit()
    assert read_back(session) == changed
    assert {k: v for k, v in versions(session, row).items() if k[0] == "TaskRow"} == tasks_before


def test_an_identical_plan_writes_nothing(session: Session, sync: Any) -> None:
    project = load_plan(EXAMPLES[0])
    row = stored(session, project)
    before, version = versions(session, row), row.version
    sync(session, row, project)
    session.commit()
    assert versions(session, row) == before
    assert row.version == version
    assert read_back(session) == project


def test_one_changed_task_moves_its_version_and_the_projects_by_one(
    session: Session, sync: Any
) -> None:
    project = load_plan(EXAMPLES[1])
    row = stored(session, project)
    before, version = versions(session, row), row.version
    target = project.tasks[-1]
    task_id = session.scalar(select(TaskRow.id).where(TaskRow.key == target.id))
    edited = replace(target, name=target.name + "!")
    sync(session, row, replace(project, tasks=(*project.tasks[:-1], edited)))
    session.commit()
    after = versions(session, row)
    assert {k: v for k, v in after.items() if before[k] != v} == {
        ("TaskRow", task_id): before["TaskRow", task_id] + 1
    }
    assert row.version == version + 1


def small(*tasks: Task, deps: tuple[Dependency, ...] = ()) -> Project:
    return Project(
        info=ProjectInfo("Small", date(2027, 1, 4)),
        calendars={"standard": STANDARD_CALENDAR},
        tasks=tasks,
        dependencies=deps,
        resources=(Resource("ann", "Ann"), Resource("bob", "Bob")),
    )


A = Task("a", "A", duration_minutes=DAY)
B = Task("b", "B", duration_minutes=DAY, assignments=(Assignment("ann"), Assignment("bob")))
C = Task("c", "C", duration_minutes=DAY, assignments=(Assignment("bob", 0.5),))
ABC = small(A, B, C, deps=(Dependency("a", "b"), Dependency("b", "c")))


def ids(session: Session, table: Any) -> set[int]:
    return set(session.scalars(select(table.id)))


def test_a_task_with_links_and_assignments_is_deleted_with_them(
    session: Session, sync: Any
) -> None:
    row = stored(session, ABC)
    kept = session.scalar(
        select(AssignmentRow.id)
        .join(TaskRow, AssignmentRow.task_id == TaskRow.id)
        .where(TaskRow.key == "c")
    )
    without_b = small(A, C, deps=(Dependency("a", "c"),))
    sync(session, row, without_b)
    session.commit()
    assert read_back(session) == without_b
    assert ids(session, AssignmentRow) == {kept}
    assert len(ids(session, DependencyRow)) == 1


def test_a_renamed_task_is_one_removed_and_one_added(session: Session, sync: Any) -> None:
    row = stored(session, ABC)
    tasks_before = ids(session, TaskRow)
    renamed = replace(B, id="b2")
    plan = small(A, renamed, C, deps=(Dependency("a", "b2"), Dependency("b2", "c")))
    sync(session, row, plan)
    session.commit()
    assert read_back(session) == plan
    assert len(ids(session, TaskRow) & tasks_before) == 2  # a and c kept their rows


def test_a_task_moves_in_the_wbs_and_a_parent_goes(session: Session, sync: Any) -> None:
    parent = Task("p", "Phase")
    nested = small(parent, replace(A, parent="p"), replace(B, parent="p"), C)
    row = stored(session, nested)
    a_id = session.scalar(select(TaskRow.id).where(TaskRow.key == "a"))
    moved = small(replace(C), replace(A, parent="c"), B)  # p gone, a under c
    sync(session, row, moved)
    session.commit()
    assert read_back(session) == moved
    assert session.scalar(select(TaskRow.id).where(TaskRow.key == "a")) == a_id


def big_plan(size: int) -> Project:
    tasks = [Task("root", "Everything")]
    tasks += [
        Task(
            f"t{i}",
            f"Task {i}",
            parent="root",
            duration_minutes=DAY,
            assignments=(Assignment("ann" if i % 2 else "bob"),),
        )
        for i in range(1, size)
    ]
    deps = tuple(Dependency(f"t{i}", f"t{i + 1}") for i in range(1, size - 1))
    return small(*tasks, deps=deps)


def test_a_thousand_task_plan_with_one_change_syncs_quickly(session: Session) -> None:
    project = big_plan(1000)
    row = stored(session, project)
    timings = []
    for old_given, minutes in ((False, 2 * DAY), (True, 3 * DAY)):
        tasks = list(project.tasks)
        tasks[500] = replace(tasks[500], duration_minutes=minutes)
        changed = replace(project, tasks=tuple(tasks))
        old = read_project(session, row)  # as write_plan has it: the stored plan just read
        start = time.perf_counter()
        sync_plan(session, row, changed, old=old if old_given else None)
        timings.append(time.perf_counter() - start)
        session.commit()
        assert read_back(session) == changed
        row = find_project(session, "PLAN")
    name = session.get_bind().dialect.name
    whole, scoped = (f"{t * 1000:.0f} ms" for t in timings)
    print(f"sync of 1,000 tasks, one changed, {name}: {whole} whole, {scoped} given the old plan")
    assert max(timings) < 5  # a generous bound for a busy machine; the figures are printed
