"""Engines for the two databases techpm runs on: SQLite (a file, or memory for tests) and
PostgreSQL through psycopg 3. Nothing connects at import time; callers pass the URL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from techpm.domain.errors import TechpmError
from techpm.persistence.urls import normalise_database_url, redact_database_url
from techpm.persistence.versioning import track_project_versions


class DatabaseUrlError(TechpmError):
    code = "database.bad_url"


class DatabaseUnavailableError(TechpmError):
    """The server did not answer or refused the connection."""

    code = "database.unavailable"


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for `url`: `sqlite:///path`, `sqlite://` (memory, one shared connection) or
    `postgresql+psycopg://user@host/db`. SQLite gets WAL mode and foreign keys on every
    connection, so that it enforces what PostgreSQL enforces."""
    try:
        parsed = make_url(normalise_database_url(url))
    except ValueError as exc:  # the normaliser's message never shows a password
        raise DatabaseUrlError(str(exc)) from None
    except Exception:  # sqlalchemy's ArgumentError would repeat the URL
        raise DatabaseUrlError(f"{redact_database_url(url)!r} is not a database URL") from None
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True, **options)
    memory = parsed.database in (None, "", ":memory:")
    if memory:
        options.setdefault("poolclass", StaticPool)
        options.setdefault("connect_args", {"check_same_thread": False})
    engine = create_engine(parsed, **options)
    event.listen(engine, "connect", _sqlite_pragmas(wal=not memory))
    return engine


def _sqlite_pragmas(*, wal: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    return on_connect


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded rows usable after commit (a service returns them)."""
    return track_project_versions(sessionmaker(engine, expire_on_commit=False))
