"""The rows themselves: every domain field has a column, every editable row a version
counter, stale writes fail, the database enforces its links, and the project's version
moves with any change inside it."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from techpm.domain.idea import Goal
from techpm.domain.project import Project
from techpm.persistence.codec import encode
from techpm.persistence.database import DatabaseUrlError, make_engine, session_factory
from techpm.persistence.fields import table_of
from techpm.persistence.mappers import (
    INFO_RENAMES,
    KEYED,
    MAPPED,
    PART_KINDS,
    PROJECT_COLUMNS,
    add_project,
    replace_plan,
)
from techpm.persistence.reading import ProjectNotFoundError, find_project, load_project
from techpm.persistence.rows import Base, DependencyRow, PlanPartRow, ProjectRow, TaskRow
from techpm.persistence.rows.server import RECORDS
from techpm.services.planning import load_plan

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "cloud-migration.yaml"
# fields the mappers keep as foreign keys, child rows or whole rows elsewhere
LINKED = {"parent", "assignments", "needs", "resource", "predecessor", "successor", "skills"}
CALENDAR_PARTS = {"holidays", "nonworking", "working"}
GOAL = Goal("g9", "Exit the data center")


def test_every_domain_field_has_a_column() -> None:
    for cls, row in MAPPED.items():
        columns = set(table_of(row).c.keys())
        renames = {**KEYED, **INFO_RENAMES}
        for field in dataclasses.fields(cls):
            if field.name in LINKED or field.name in CALENDAR_PARTS:
                continue
            assert renames.get(field.name, field.name) in columns, f"{cls.__name__}.{field.name}"


def test_every_part_of_a_project_has_a_home() -> None:
    homes = {"info", "calendars", "tasks", "dependencies", "resources", "risks"}
    homes |= {"stakeholders", "raci", "units", *PART_KINDS, *PROJECT_COLUMNS}
    assert {f.name for f in dataclasses.fields(Project)} == homes


def test_every_editable_row_carries_a_version_counter() -> None:
    for mapper in Base.registry.mappers:
        if mapper.class_ in RECORDS:  # history, events, results, jobs, sessions
            assert mapper.version_id_col is None, mapper.class_.__name__
            continue
        assert mapper.version_id_col is not None, mapper.class_.__name__
        assert mapper.version_id_col.name == "version"


def test_a_row_version_moves_on_each_update_and_a_stale_write_fails(migrated: Engine) -> None:
    sessions = session_factory(migrated)
    with sessions() as session:
        add_project(session, load_plan(EXAMPLE), key="MIG")
        session.commit()
    with sessions() as first, sessions() as second:
        mine = first.scalars(select(TaskRow).where(TaskRow.key == "inventory")).one()
        theirs = second.scalars(select(TaskRow).where(TaskRow.key == "inventory")).one()
        assert mine.version == theirs.version == 1
        mine.name = "Inventory, reviewed"
        first.commit()
        assert mine.version == 2
        theirs.name = "Inventory, again"
        with pytest.raises(StaleDataError):
            second.commit()


def test_the_project_version_moves_with_any_change_inside_it(migrated: Engine) -> None:
    sessions = session_factory(migrated)
    with sessions() as session:
        row = add_project(session, load_plan(EXAMPLE), key="MIG")
        session.commit()
        assert row.version == 1  # stored in one flush: one version
        task = session.scalars(select(TaskRow).where(TaskRow.key == "inventory")).one()
        task.duration_minutes = 4800
        session.commit()
        assert (task.version, row.version) == (2, 2)
        link = session.scalars(select(DependencyRow)).first()
        assert link is not None
        session.delete(link)
        session.commit()
        assert row.version == 3
        session.commit()  # nothing changed: no new version
        assert row.version == 3
        session.add(PlanPartRow(project_id=row.id, position=99, kind="goals", data=encode(GOAL)))
        session.commit()  # a row added by its project's id alone
        assert row.version == 4


def test_replacing_the_plan_stores_the_new_one_and_moves_the_version(session: Session) -> None:
    first = load_plan(EXAMPLE)
    second = load_plan(ROOT / "examples" / "firmware-board.yaml")
    row = add_project(session, first, key="MIG")
    session.commit()
    replace_plan(session, row, second)
    session.commit()
    session.expunge_all()
    assert load_project(session, "MIG") == second
    assert find_project(session, "MIG").version == 2


def test_deleting_a_project_deletes_everything_in_it(session: Session) -> None:
    add_project(session, load_plan(EXAMPLE), key="MIG")
    session.commit()
    session.execute(delete(ProjectRow).where(ProjectRow.key == "MIG"))
    session.commit()
    assert session.scalar(select(func.count()).select_from(TaskRow)) == 0
    with pytest.raises(ProjectNotFoundError):
        load_project(session, "MIG")


def test_the_database_refuses_a_task_of_no_project(session: Session) -> None:
    task = TaskRow(
        project_id=999,
        position=0,
        key="t",
        name="T",
        milestone=False,
        constraints={},
        percent_complete=0.0,
        priority=500,
        tags={},
        accrue="prorated",
        needs_items={},
        refs={},
        history={},
        extra={},
    )
    session.add(task)
    with pytest.raises(IntegrityError):
        session.flush()


def test_sqlite_files_use_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'plans.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    memory = make_engine("sqlite://")
    with memory.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_postgresql_urls_use_psycopg_3() -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none")
    assert engine.dialect.driver == "psycopg"


@pytest.mark.parametrize("url", ["mysql://x@y/z", "not a url"])
def test_other_databases_are_refused_with_a_code(url: str) -> None:
    with pytest.raises(DatabaseUrlError) as error:
        make_engine(url)
    assert error.value.code == "database.bad_url"


def test_dates_survive_as_dates(session: Session) -> None:
    row = add_project(session, load_plan(EXAMPLE), key="MIG")
    session.commit()
    session.expunge_all()
    assert find_project(session, "MIG").start_on == row.start_on
    assert isinstance(row.start_on, date)
