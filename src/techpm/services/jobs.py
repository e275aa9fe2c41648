"""Background jobs as the services see them: a row that says what to compute and how far it
got, and a back end that only moves the work. The back end is a Protocol here, so services
never import one; the server is given a local process pool today, a task queue later.

Options are checked before anything is stored, so a worker never meets a job it cannot run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from techpm.domain.errors import NotFoundError, TechpmError
from techpm.persistence.rows import ProjectRow
from techpm.persistence.rows.server import JobRow

JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
FINISHED: frozenset[str] = frozenset({"succeeded", "failed", "cancelled"})
MAX_ITERATIONS = 100_000
MAX_TIME_LIMIT_SECONDS = 300.0
ENGINES = ("auto", "heuristic", "cpsat")


class JobBackend(Protocol):
    """Moves work to wherever it runs; the job row, not the back end, holds the truth."""

    def submit(self, job_id: int) -> None:
        """Called after the job row is committed."""

    def cancel(self, job_id: int) -> None:
        """Best effort; the row's cancel_requested flag is what the worker obeys."""

    def close(self) -> None: ...


class JobNotFoundError(NotFoundError):
    code = "job.not_found"


class JobOptionsError(TechpmError):
    """An unknown kind or an option the kind cannot use; `field` names the culprit."""

    code = "job.bad_options"

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    status: JobStatus
    progress: float
    result: Any
    error: dict[str, Any] | None
    project_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def job_view(row: JobRow) -> JobView:
    return JobView(
        id=row.id,
        kind=row.kind,
        status=cast(JobStatus, row.status),
        progress=row.progress,
        result=row.result,
        error=row.error,
        project_id=row.project_id,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


def _integer(options: dict[str, Any], name: str, default: int | None) -> int | None:
    value = options.get(name, default)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise JobOptionsError(f"{name} must be a whole number", field=name)
    checked: int | None = value
    return checked


def _simulation_options(options: dict[str, Any]) -> dict[str, Any]:
    iterations = _integer(options, "iterations", 1000)
    if iterations is None or not 1 <= iterations <= MAX_ITERATIONS:
        raise JobOptionsError(
            f"iterations must be between 1 and {MAX_ITERATIONS:,}", field="iterations"
        )
    seed = _integer(options, "seed", None)
    if seed is not None and seed < 0:
        raise JobOptionsError("seed must not be negative", field="seed")
    level = options.get("level")
    if level is not None and not isinstance(level, bool):
        raise JobOptionsError("level must be true, false or null", field="level")
    return {"iterations": iterations, "seed": seed, "level": level}


def _leveling_options(options: dict[str, Any]) -> dict[str, Any]:
    engine = options.get("engine", "auto")
    if engine not in ENGINES:
        raise JobOptionsError(f"engine must be one of {', '.join(ENGINES)}", field="engine")
    limit = options.get("time_limit", 5.0)
    if isinstance(limit, bool) or not isinstance(limit, int | float):
        raise JobOptionsError("time_limit must be a number of seconds", field="time_limit")
    if not 0 < limit <= MAX_TIME_LIMIT_SECONDS:
        raise JobOptionsError(
            f"time_limit must be above 0 and at most {MAX_TIME_LIMIT_SECONDS:g} seconds",
            field="time_limit",
        )
    return {"engine": engine, "time_limit": float(limit)}


OPTION_CHECKS = {"simulation": _simulation_options, "leveling": _leveling_options}


def job_options(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    """The options of a `kind` job with their defaults filled in, or JobOptionsError."""
    check = OPTION_CHECKS.get(kind)
    if check is None:
        raise JobOptionsError(
            f"no job kind {kind!r}; use one of {', '.join(OPTION_CHECKS)}", field="kind"
        )
    unknown = sorted(set(options) - set(check({})))
    if unknown:
        raise JobOptionsError(f"a {kind} job has no option {unknown[0]!r}", field=unknown[0])
    return check(options)


def create_job(
    session: Session,
    *,
    project: ProjectRow | None,
    user_id: int | None,
    kind: str,
    options: dict[str, Any],
    now: datetime,
) -> JobRow:
    """A queued job on the project as it is now; flushed, not committed (the caller commits,
    then submits it to the back end)."""
    checked = job_options(kind, options)
    if project is None:
        raise JobOptionsError(f"a {kind} job needs a project", field="project")
    row = JobRow(
        project_id=project.id,
        user_id=user_id,
        kind=kind,
        status="queued",
        progress=0.0,
        options=checked,
        project_version=project.version,
        cancel_requested=False,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def _row(session: Session, job_id: int) -> JobRow:
    row = session.get(JobRow, job_id, populate_existing=True)
    if row is None:
        raise JobNotFoundError(f"no job {job_id}")
    return row


def get_job(session: Session, job_id: int) -> JobView:
    return job_view(_row(session, job_id))


def request_cancel(session: Session, job_id: int, *, now: datetime) -> JobView:
    """A queued job is cancelled at once; a running one is asked to stop (its worker marks it
    cancelled at its next progress report); a finished one stays as it is."""
    row = _row(session, job_id)
    if row.status == "queued":
        row.status = "cancelled"
        row.cancel_requested = True
        row.finished_at = now
    elif row.status == "running":
        row.cancel_requested = True
    session.flush()
    return job_view(row)


def recover_jobs(session: Session, *, now: datetime) -> list[int]:
    """At server start: a job still running belonged to a process that is gone, so it failed;
    the ids of the queued ones are returned for the caller to submit again."""
    running = session.scalars(select(JobRow).where(JobRow.status == "running")).all()
    for row in running:
        row.status = "failed"
        row.error = {
            "code": "job.interrupted",
            "message": "the server stopped while the job was running",
        }
        row.finished_at = now
    session.flush()
    queued = select(JobRow.id).where(JobRow.status == "queued").order_by(JobRow.id)
    return list(session.scalars(queued).all())
