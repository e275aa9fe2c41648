"""`techpm db upgrade` and `techpm db current`: the server's database, migrated on its own
(before a deployment, or to check which revision a database is at).

SQLAlchemy, Alembic and the settings are imported when a command runs, not when `techpm
--help` lists it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from techpm.cli.output import reporting_errors, stdout
from techpm.domain.errors import TechpmError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

DATABASE_OPTION = typer.Option(
    None,
    "--database",
    help="Database URL (sqlite:///PATH or postgresql+psycopg://USER@HOST/DB); default "
    "TECHPM_DATABASE_URL, else techpm.db in the user's data directory.",
    show_default=False,
)

db_app = typer.Typer(
    name="db",
    help="Migrate the server's database, or show the revision it is at.",
    no_args_is_help=True,
)


@contextmanager
def migrated_session(database: str | None) -> Iterator[Session]:
    """A session on a database at the head revision; `database.not_migrated` otherwise, so
    that no command changes a schema behind its owner's back."""
    from techpm.bootstrap.database_url import redact_database_url
    from techpm.persistence.database import session_factory
    from techpm.persistence.migrate import current_revision, head_revision

    with connected(database) as (engine, url):
        revision, head = current_revision(engine), head_revision()
        if revision != head:
            raise TechpmError(
                f"{redact_database_url(url)} is at revision {revision or 'none'}, not {head}; "
                "run `techpm db upgrade` first",
                code="database.not_migrated",
            )
        with session_factory(engine)() as session:
            yield session


@contextmanager
def connected(database: str | None) -> Iterator[tuple[Engine, str]]:
    """The engine for `--database` (or the settings), with connection failures turned into
    `database.unavailable` naming the database without its password."""
    from sqlalchemy.exc import DBAPIError

    from techpm.bootstrap.database_url import redact_database_url, resolve_database_url
    from techpm.persistence.database import DatabaseUnavailableError, make_engine

    url = resolve_database_url(database)
    engine = make_engine(url)
    try:
        yield engine, url
    except DBAPIError as exc:
        first = (str(exc.orig).strip().splitlines() or ["no answer"])[0]
        raise DatabaseUnavailableError(f"{redact_database_url(url)}: {first}") from None
    finally:
        engine.dispose()


def _describe(revision: str | None) -> str:
    from techpm.persistence.migrate import head_revision

    if revision is None:
        return "none (empty database; run `techpm db upgrade`)"
    return f"{revision} (head)" if revision == head_revision() else f"{revision} (behind head)"


@db_app.command("upgrade")
def upgrade_command(database: str | None = DATABASE_OPTION) -> None:
    """Run the migrations up to the newest revision (nothing to do if it is there already)."""
    from techpm.bootstrap.database_url import redact_database_url
    from techpm.persistence.migrate import current_revision, upgrade

    with reporting_errors(), connected(database) as (engine, url):
        before = current_revision(engine)
        upgrade(engine)
        after = current_revision(engine)
        what = "already at" if before == after else f"{before or 'empty'} ->"
        stdout.print(f"{redact_database_url(url)}: {what} {after}", markup=False)


@db_app.command("current")
def current_command(database: str | None = DATABASE_OPTION) -> None:
    """Print the revision the database is at: the first word is the revision id."""
    from techpm.persistence.migrate import current_revision

    with reporting_errors(), connected(database) as (engine, _url):
        stdout.print(_describe(current_revision(engine)), markup=False)
