"""`techpm serve` runs the team server with uvicorn; `techpm demo` (what `make run` does) runs it
on a demo database seeded once from the example plans.

uvicorn, FastAPI and SQLAlchemy are imported when a command runs, not when `techpm --help`
lists it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from techpm.cli.output import reporting_errors, stdout

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from techpm.bootstrap.settings import ServerSettings

HOST_OPTION = typer.Option(
    None,
    "--host",
    help="Address to listen on; default 127.0.0.1 (TECHPM_HOST).",
    show_default=False,
)
PORT_OPTION = typer.Option(
    None, "--port", help="Port to listen on; default 8000 (TECHPM_PORT).", show_default=False
)
APP_FACTORY = "techpm.server.app:create_app_from_environment"
DEMO_DIR = Path(".demo")


def _environment_for_app(settings: ServerSettings) -> dict[str, str]:
    """What the app reads: uvicorn builds it from the import string (the CLI does not import
    the server, a layer beside it), in this process or in each worker, so the options travel
    as `TECHPM_*` variables. The secret travels too, so that every worker signs sessions with
    the same key, a dev one included."""
    return {
        "TECHPM_DATABASE_URL": settings.database_url,
        "TECHPM_SECRET_KEY": settings.secret,
        "TECHPM_DEV": "true" if settings.dev else "false",
        "TECHPM_HOST": settings.host,
        "TECHPM_PORT": str(settings.port),
        "TECHPM_WORKERS": str(settings.workers),
        "TECHPM_DATA_DIR": str(settings.data_dir),
    }


def _checked_engine(settings: ServerSettings) -> Engine:
    """The database, reached once before uvicorn starts, so a wrong URL or a server that is
    down is a one-line error here rather than a traceback in uvicorn's start-up log."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from techpm.persistence.database import DatabaseUnavailableError, make_engine
    from techpm.persistence.urls import redact_database_url

    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as exc:
        engine.dispose()
        first = (str(exc.orig).strip().splitlines() or ["no answer"])[0]
        raise DatabaseUnavailableError(
            f"{redact_database_url(settings.database_url)}: {first}"
        ) from None
    return engine


def run_server(settings: ServerSettings) -> None:
    """Serve until interrupted (Ctrl-C); migrations run as the app starts."""
    import uvicorn

    from techpm.persistence.urls import redact_database_url

    where = f"http://{settings.host}:{settings.port}"
    mode = ", dev mode" if settings.dev else ""
    stdout.print(
        f"techpm serving {redact_database_url(settings.database_url)} on {where}{mode} "
        f"({settings.workers} worker{'s' if settings.workers != 1 else ''}); Ctrl-C stops it",
        markup=False,
    )
    os.environ.update(_environment_for_app(settings))
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers if settings.workers > 1 else None,
    )


def serve(
    host: str | None = HOST_OPTION,
    port: int | None = PORT_OPTION,
    database: str | None = typer.Option(
        None,
        "--database",
        help="Database URL; default TECHPM_DATABASE_URL, else techpm.db in the user's data "
        "directory.",
        show_default=False,
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="Worker processes; default 1 (TECHPM_WORKERS).", show_default=False
    ),
    dev: bool = typer.Option(
        False,
        "--dev",
        help="Development mode (TECHPM_DEV): a throw-away secret key, sessions end with the "
        "process.",
    ),
) -> None:
    """Run the team server (REST API and web pages) until Ctrl-C."""
    from techpm.bootstrap.settings import load_settings

    with reporting_errors():
        settings = load_settings(
            None,
            host=host,
            port=port,
            database_url=database,
            workers=workers,
            dev=True if dev else None,
        )
        _checked_engine(settings).dispose()
    run_server(settings)


def demo(
    host: str | None = HOST_OPTION,
    port: int | None = PORT_OPTION,
    folder: Path = typer.Option(
        DEMO_DIR, "--dir", help="Where the demo database lives (created once)."
    ),
    examples: Path = typer.Option(
        Path("examples"), "--examples", help="The plan files to seed it with (*.yaml)."
    ),
    database: str | None = typer.Option(
        None, "--database", help="A database URL instead of DIR/techpm.db (PostgreSQL too)."
    ),
) -> None:
    """Run the server on a demo database: the example plans, a user per role; prints logins."""
    from techpm.bootstrap.settings import load_settings

    with reporting_errors():
        url = database or f"sqlite:///{(folder / 'techpm.db').resolve()}"
        settings = load_settings(None, host=host, port=port, database_url=url, dev=True)
        engine = _checked_engine(settings)
        try:
            _prepare_demo(engine, settings, examples)
        finally:
            engine.dispose()
    run_server(settings)


def _prepare_demo(engine: Engine, settings: ServerSettings, examples: Path) -> None:
    from techpm.persistence.database import session_factory
    from techpm.persistence.migrate import upgrade
    from techpm.security.passwords import Passwords
    from techpm.services.demo import (
        DEMO_PASSWORD,
        PROJECT_ROLES,
        demo_email,
        demo_token,
        is_seeded,
        seed_demo,
    )

    upgrade(engine)
    with session_factory(engine)() as session:
        if not is_seeded(session):
            files = sorted(examples.glob("*.yaml"))
            projects = seed_demo(session, files, passwords=Passwords())
            for project in projects:
                stdout.print(f"seeded {project.key}: {project.name} ({project.file})")
        token = demo_token(session)
    url = f"http://{settings.host}:{settings.port}"
    logins = ", ".join(demo_email(who) for who in (*PROJECT_ROLES, "admin"))
    stdout.print(
        f"\ntechpm demo at {url} (API docs {url}/api/docs)\n"
        f"log in as {logins}\npassword: {DEMO_PASSWORD}\n"
        f"API token of {demo_email('manager')} (write): {token.token}\n"
        f"  techpm login {url} --token {token.token}\n",
        markup=False,
    )
