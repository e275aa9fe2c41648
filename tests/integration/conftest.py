"""Every integration test runs on SQLite and on PostgreSQL, each in a database of its own:
a fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards. PostgreSQL is skipped
when no server answers, except under CI=true, where it must be there."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from techpm.persistence.database import make_engine, session_factory
from techpm.persistence.migrate import upgrade
from tests.integration.persistence.postgres import reachable, required


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url, reason = reachable()
    return required(url, reason, ci=os.environ.get("CI") == "true")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database (no tables) on each back end."""
    if request.param == "sqlite":
        sqlite = make_engine(f"sqlite:///{tmp_path / 'techpm.db'}")
        yield sqlite
        sqlite.dispose()
        return
    url = request.getfixturevalue("postgres_url")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # the schema is named in the URL itself, so worker processes given the URL find it too
    joiner = "&" if "?" in url else "?"
    postgres = make_engine(f"{url}{joiner}options=-csearch_path%3D{schema}")
    try:
        yield postgres
    finally:
        postgres.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def migrated(engine: Engine) -> Engine:
    """The database upgraded to the head of the migration history."""
    upgrade(engine)
    return engine


@pytest.fixture
def session(migrated: Engine) -> Iterator[Session]:
    with session_factory(migrated)() as session:
        yield session
