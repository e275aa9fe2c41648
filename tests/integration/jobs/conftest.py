"""A database each worker process can open on its own (an SQLite file, or a fresh PostgreSQL
schema named in the URL's search_path), migrated, with the mobile app launch example stored
as project `APP`, and a job pool on it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from techpm.interop.planfile.loader import load_plan_file
from techpm.jobs import LocalPoolBackend
from techpm.persistence.database import make_engine, session_factory
from techpm.persistence.mappers import add_project
from techpm.persistence.migrate import upgrade
from techpm.persistence.rows import ProjectRow
from techpm.services.jobs import JobView, create_job, get_job
from tests.integration.conftest import postgres_url

__all__ = ["postgres_url"]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
PLAN = EXAMPLES / "mobile-app-launch.yaml"
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    def start(self, backend: LocalPoolBackend, kind: str, **options: Any) -> int:
        """A job on APP, committed and submitted, as the server's route does it."""
        with self.sessions() as session:
            project = session.query(ProjectRow).filter_by(key="APP").one()
            job = create_job(
                session, project=project, user_id=None, kind=kind, options=options, now=NOW
            )
            session.commit()
        backend.submit(job.id)
        return job.id

    def job(self, job_id: int) -> JobView:
        with self.sessions() as session:
            return get_job(session, job_id)

    def wait(
        self, job_id: int, until: Callable[[JobView], bool], timeout_seconds: float = 30.0
    ) -> JobView:
        deadline = time.monotonic() + timeout_seconds
        while True:
            view = self.job(job_id)
            if until(view) or time.monotonic() > deadline:
                return view
            time.sleep(0.02)


def finished(view: JobView) -> bool:
    return view.status in ("succeeded", "failed", "cancelled")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'techpm.db'}"
        engine = make_engine(url)
        yield from _seeded(url, engine)
        return
    server = request.getfixturevalue("postgres_url")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{server}?options=-csearch_path%3D{schema}"
    try:
        yield from _seeded(url, make_engine(url))
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _seeded(url: str, engine: Engine) -> Iterator[Database]:
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        add_project(session, load_plan_file(PLAN).project, key="APP")
        session.commit()
    try:
        yield Database(url, engine, sessions)
    finally:
        engine.dispose()


@pytest.fixture
def backend(database: Database) -> Iterator[LocalPoolBackend]:
    pool = LocalPoolBackend(database.url, max_workers=1)
    try:
        yield pool
    finally:
        pool.close(timeout_seconds=2.0)
