"""The team server: `create_app(settings)` wires the database, the job back end and the routes.
Migrations run when the app starts, so a new version of techpm upgrades its database itself."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from techpm import __version__
from techpm.bootstrap.settings import ServerSettings, load_settings
from techpm.jobs.local_pool import JobBackendError, LocalPoolBackend
from techpm.persistence.database import make_engine, session_factory
from techpm.persistence.migrate import upgrade
from techpm.security.login_limiter import LoginLimiter
from techpm.security.passwords import Passwords
from techpm.server.api.entity_schemas import install_entity_schemas
from techpm.server.api.routes import (
    auth,
    collections,
    computed,
    events,
    health,
    history,
    jobs,
    members,
    plan,
    progress,
    projects,
    tokens,
    users,
)
from techpm.server.api.schemas import PROBLEM_RESPONSES
from techpm.server.collector import tune_for_serving
from techpm.server.context import ServerContext
from techpm.server.errors import install_error_handlers
from techpm.server.limits import BodyLimit
from techpm.server.ui.pages import install_pages
from techpm.services.jobs import JobBackend, recover_jobs

log = logging.getLogger("techpm.server")
ROUTERS = (
    health,
    auth,
    tokens,
    users,
    projects,
    members,
    plan,
    computed,
    jobs,
    progress,
    history,
    events,
    collections,
)


def create_app(
    settings: ServerSettings,
    *,
    engine: Engine | None = None,
    jobs: JobBackend | None = None,
    passwords: Passwords | None = None,
    migrate: bool = True,
) -> FastAPI:
    """`engine`, `jobs` and `passwords` are given by tests and by `techpm serve`; by default
    the engine comes from the settings and there is no job back end."""
    engine = engine or make_engine(settings.database_url)
    if jobs is None:
        jobs = job_backend(settings)
    context = ServerContext(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        passwords=passwords or Passwords(),
        limiter=LoginLimiter(),
        jobs=jobs,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if migrate:
            upgrade(engine)
        resubmit_jobs(context)
        try:
            yield
        finally:
            if context.jobs is not None:
                context.jobs.close()

    app = FastAPI(
        title="techpm",
        version=__version__,
        summary="Plans, schedules, risks and earned value for technical project managers.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.context = context
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router, responses=PROBLEM_RESPONSES)
    app.add_middleware(BodyLimit, limit=context.max_body_bytes)
    install_entity_schemas(app, list(collections.WRITES))
    install_pages(app)
    return app


def job_backend(settings: ServerSettings) -> JobBackend | None:
    """The local worker pool, unless the settings ask for none; an in-memory database cannot
    be shared with worker processes, so it runs without jobs."""
    if settings.job_workers == 0:
        return None
    try:
        return LocalPoolBackend(settings.database_url, max_workers=settings.job_workers)
    except JobBackendError as exc:
        log.warning("no background jobs: %s", exc.message)
        return None


def resubmit_jobs(context: ServerContext) -> None:
    """Jobs a previous process left running failed with it; queued ones are sent again."""
    if context.jobs is None:
        return
    with context.sessions() as session:
        queued = recover_jobs(session, now=context.now())
        session.commit()
    for job_id in queued:
        context.jobs.submit(job_id)


def create_app_from_environment() -> FastAPI:
    """The uvicorn factory of `techpm serve`, in each worker process: settings from
    `TECHPM_*`, and the garbage collector tuned for a long-lived server."""
    app = create_app(load_settings(os.environ))
    tune_for_serving()
    return app
