"""What the running server holds for its requests: settings, the session factory, the password
hasher, the login limiter, the job back end and the clock. Built once in `create_app`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import HTTPConnection

from techpm.bootstrap.settings import ServerSettings
from techpm.security.login_limiter import LoginLimiter
from techpm.security.passwords import Passwords
from techpm.services.jobs import JobBackend
from techpm.services.plan_cache import PlanCache


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ServerContext:
    settings: ServerSettings
    engine: Engine
    sessions: sessionmaker[Session]
    passwords: Passwords
    limiter: LoginLimiter
    jobs: JobBackend | None
    clock: Callable[[], datetime] = utc_now
    max_body_bytes: int = 20 * 1024 * 1024
    plans: PlanCache = field(default_factory=PlanCache)  # this process's recent plans

    def now(self) -> datetime:
        return self.clock()


def context_of(connection: HTTPConnection) -> ServerContext:
    context: ServerContext = connection.app.state.context
    return context
