"""Plan writes as the server makes them: a write that changes something moves the project's
version once and is recorded as a change set and an event; one that changes nothing writes
nothing; the history reads the writes back newest first, per task, or since a version."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, date, datetime
from itertools import pairwise

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from techpm.domain.calendar import STANDARD_CALENDAR
from techpm.domain.dependency import Dependency
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.resource import Assignment, Resource
from techpm.domain.task import Task
from techpm.persistence.mappers import add_project
from techpm.persistence.reading import read_project
from techpm.persistence.rows import ChangeSetRow, EventRow, ProjectRow
from techpm.services.history import changes_since, project_history
from techpm.services.plan_diff import Change
from techpm.services.plan_store import Actor, record_project_created, write_plan

DAY = 480
ANN = Actor(None, "ann@example.com", "api")
BOB = Actor(None, "bob@example.com", "push")
T0 = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def plan(
    tasks: tuple[Task, ...], people: tuple[Resource, ...] = (Resource("ann", "Ann"),)
) -> Project:
    deps = tuple(
        Dependency(a.id, b.id) for a, b in pairwise(tasks) if not a.parent and not b.parent
    )
    return Project(
        info=ProjectInfo("Store", date(2027, 1, 4)),
        calendars={"standard": STANDARD_CALENDAR},
        tasks=tasks,
        dependencies=deps,
        resources=people,
    )


A = Task("a", "Design", duration_minutes=2 * DAY)
B = Task("b", "Build", duration_minutes=3 * DAY, assignments=(Assignment("ann"),))
START = plan((A, B))


def created(session: Session, project: Project = START) -> ProjectRow:
    row = add_project(session, project, key="STORE")
    record_project_created(session, row, actor=ANN, now=T0)
    session.commit()
    return row


def count(session: Session, table: type[ChangeSetRow] | type[EventRow]) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def test_creation_starts_the_history_with_everything_added(session: Session) -> None:
    row = created(session)
    [entry] = project_history(session, row)
    assert (entry.summary, entry.actor, entry.via, entry.project_version) == (
        "created",
        ANN.email,
        "api",
        row.version,
    )
    assert {(c.entity, c.key) for c in entry.changes} == {
        ("project", ""),
        ("calendar", "standard"),
        ("resource", "ann"),
        ("task", "a"),
        ("task", "b"),
        ("dependency", "a->b"),
        ("assignment", "b/ann"),
    }
    assert {c.action for c in entry.changes} == {"added"}


def test_a_write_moves_the_version_once_and_records_each_field(session: Session) -> None:
    row = created(session)
    version = row.version
    longer = plan((replace(A, duration_minutes=4 * DAY), B))
    written = write_plan(session, row, longer, actor=BOB, summary="longer design", now=T0)
    session.commit()
    assert written.version == version + 1 == row.version
    assert written.changes == (Change("task", "a", "changed", "duration", "2d", "4d"),)
    newest = project_history(session, row)[0]
    assert newest.id == written.change_set_id
    assert (newest.summary, newest.actor, newest.via) == ("longer design", BOB.email, "push")
    assert newest.project_version == row.version
    assert newest.changes == written.changes
    event = session.scalars(select(EventRow).order_by(EventRow.id.desc())).first()
    assert event is not None
    assert event.kind == "plan.changed"
    assert event.data == {
        "version": row.version,
        "change_set": written.change_set_id,
        "entities": [{"entity": "task", "key": "a", "action": "changed"}],
    }


def test_a_write_that_changes_nothing_writes_nothing(session: Session) -> None:
    row = created(session)
    version, sets, events = row.version, count(session, ChangeSetRow), count(session, EventRow)
    same = read_project(session, row)
    written = write_plan(session, row, same, actor=BOB, summary="again", now=T0)
    session.commit()
    assert (written.version, written.change_set_id, written.changes) == (version, None, ())
    assert row.version == version
    assert (count(session, ChangeSetRow), count(session, EventRow)) == (sets, events)


def history_of_three_writes(session: Session) -> ProjectRow:
    row = created(session)
    steps = [
        ("longer", plan((replace(A, duration_minutes=4 * DAY), B))),
        ("renamed", plan((replace(A, duration_minutes=4 * DAY), B), (Resource("ann", "Ann Lee"),))),
        (
            "half done",
            plan(
                (replace(A, duration_minutes=4 * DAY, percent_complete=50), B),
                (Resource("ann", "Ann Lee"),),
            ),
        ),
    ]
    for minutes, (summary, project) in enumerate(steps, start=1):
        write_plan(
            session, row, project, actor=ANN, summary=summary, now=T0.replace(minute=minutes)
        )
        session.commit()
    return row


def test_the_history_is_newest_first_with_old_and_new_values(session: Session) -> None:
    row = history_of_three_writes(session)
    entries = project_history(session, row)
    assert [e.summary for e in entries] == ["half done", "renamed", "longer", "created"]
    assert [e.project_version for e in entries] == sorted(
        (e.project_version for e in entries), reverse=True
    )
    assert entries[0].changes == (Change("task", "a", "changed", "percent_complete", 0, 50),)
    assert entries[1].changes == (Change("resource", "ann", "changed", "name", "Ann", "Ann Lee"),)
    assert entries[0].at == T0.replace(minute=3)


def test_a_cursor_pages_back_through_the_history(session: Session) -> None:
    row = history_of_three_writes(session)
    first = project_history(session, row, limit=2)
    rest = project_history(session, row, limit=2, before=first[-1].id)
    assert [e.summary for e in first + rest] == ["half done", "renamed", "longer", "created"]
    assert project_history(session, row, before=10**17) == project_history(session, row)


def test_a_tasks_history_has_only_its_writes_and_changes(session: Session) -> None:
    row = history_of_three_writes(session)
    entries = project_history(session, row, entity="task", key="a")
    assert [e.summary for e in entries] == ["half done", "longer", "created"]
    assert {(c.entity, c.key) for e in entries for c in e.changes} == {("task", "a")}
    assert entries[1].changes == (Change("task", "a", "changed", "duration", "2d", "4d"),)


def test_changes_since_a_version_are_oldest_first(session: Session) -> None:
    row = history_of_three_writes(session)
    versions = [e.project_version for e in project_history(session, row)]
    since = changes_since(session, row, versions[2])  # after "longer"
    assert since == [
        Change("resource", "ann", "changed", "name", "Ann", "Ann Lee"),
        Change("task", "a", "changed", "percent_complete", 0, 50),
    ]
    assert changes_since(session, row, row.version) == []


def test_write_plan_on_a_thousand_tasks_with_one_changed(session: Session) -> None:
    root = Task("root", "Everything")
    tasks = [root] + [
        Task(
            f"t{i}",
            f"Task {i}",
            parent="root",
            duration_minutes=DAY,
            assignments=(Assignment("ann"),),
        )
        for i in range(1, 1000)
    ]
    project = replace(
        plan(tuple(tasks)),
        dependencies=tuple(Dependency(f"t{i}", f"t{i + 1}") for i in range(1, 999)),
    )
    row = add_project(session, project, key="BIG")
    session.commit()
    timings = []
    for minutes, given in ((2 * DAY, False), (3 * DAY, True)):
        tasks[500] = replace(tasks[500], duration_minutes=minutes)
        changed = replace(project, tasks=tuple(tasks))
        old = read_project(session, row) if given else None  # as a PATCH has read it
        start = time.perf_counter()
        written = write_plan(session, row, changed, actor=ANN, summary="one", now=T0, stored=old)
        timings.append(time.perf_counter() - start)
        session.commit()
        assert [(c.key, c.field) for c in written.changes] == [("t500", "duration")]
    name = session.get_bind().dialect.name
    alone, after_read = (f"{t * 1000:.0f} ms" for t in timings)
    print(f"write_plan, 1,000 tasks, one changed, {name}: {alone}; {after_read} given the plan")
    assert written.changes == (Change("task", "t500", "changed", "duration", "2d", "3d"),)
    assert max(timings) < 10  # a generous bound for a busy machine; the figures are printed
