"""The code a worker process runs for one job: it opens its own engine, reads the plan as it
is when the job starts, computes, and writes status, progress and the result or error into
the job row, with events on the project's stream. A traceback never reaches the row."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from techpm.domain.errors import TechpmError
from techpm.domain.project import Project
from techpm.jobs.backend import JobCancelled
from techpm.jobs.kinds import KINDS
from techpm.persistence.database import make_engine, session_factory
from techpm.persistence.reading import read_project
from techpm.persistence.rows import ProjectRow
from techpm.persistence.rows.server import EventRow, JobRow

log = logging.getLogger(__name__)
REPORT_EVERY_SECONDS = 0.1  # at most ~10 progress writes a second
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Reporter:
    """Writes progress, throttled, and raises JobCancelled once the row asks to stop."""

    def __init__(self, sessions: sessionmaker[Session], job: JobRow, clock: Clock) -> None:
        self.sessions, self.job_id, self.project_id = sessions, job.id, job.project_id
        self.clock = clock
        self.last = 0.0
        self.progress = 0.0

    def __call__(self, fraction: float) -> None:
        fraction = max(self.progress, min(fraction, 1.0))  # never backwards
        if time.monotonic() - self.last < REPORT_EVERY_SECONDS:
            return
        self.last = time.monotonic()
        self.progress = fraction
        with self.sessions() as session:
            job = session.get(JobRow, self.job_id)
            if job is None or job.cancel_requested:
                raise JobCancelled()
            job.progress = fraction
            add_event(session, job, "job.progress", self.clock())
            session.commit()


def add_event(session: Session, job: JobRow, kind: str, now: datetime) -> None:
    """The event under the project row's lock, as a plan write takes it: a project's events
    then get their ids in the order they commit, so a stream that resumes after the last id
    it sent never skips one that committed late."""
    if job.project_id is not None:
        session.execute(
            select(ProjectRow.id).where(ProjectRow.id == job.project_id).with_for_update()
        )
        data = {"job_id": job.id, "status": job.status, "progress": job.progress}
        session.add(EventRow(project_id=job.project_id, at=now, kind=kind, data=data))


def _start(session: Session, job_id: int, clock: Clock) -> JobRow | None:
    """Queued to running, unless it was cancelled (or taken) meanwhile; None then."""
    taken = session.execute(
        update(JobRow)
        .where(JobRow.id == job_id, JobRow.status == "queued")
        .values(status="running", started_at=clock())
    )
    session.commit()
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(JobRow, job_id, populate_existing=True)


def _plan(session: Session, job: JobRow) -> tuple[Project, int]:
    """The plan and the version it was read at; read again if a write landed in between."""
    row = session.get(ProjectRow, job.project_id)
    if row is None:
        raise TechpmError("the job's project is gone", code="job.project_gone")
    for _attempt in range(3):
        before = row.version
        project = read_project(session, row)
        session.refresh(row)
        if row.version == before:
            break
    return project, row.version


def finish(
    sessions: sessionmaker[Session],
    job_id: int,
    status: str,
    clock: Clock,
    *,
    result: Any = None,
    error: dict[str, Any] | None = None,
) -> None:
    """The job's last write; a job asked to stop ends cancelled whatever it computed."""
    with sessions() as session:
        job = session.get(JobRow, job_id)
        if job is None or job.status != "running":
            return
        if job.cancel_requested and status == "succeeded":
            status, result = "cancelled", None
        job.status = status
        if status == "succeeded":
            job.progress = 1.0
            job.result = result
        job.error = error
        job.finished_at = clock()
        add_event(session, job, "job.finished", job.finished_at)
        session.commit()


def run_job(database_url: str, job_id: int, clock: Clock = utc_now) -> str | None:
    """Run one job to its end; returns its final status, None when there was nothing to run."""
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    try:
        with sessions() as session:
            job = _start(session, job_id, clock)
            if job is None:
                return None
            add_event(session, job, "job.progress", clock())
            session.commit()
            try:
                project, version = _plan(session, job)
            except TechpmError as exc:
                finish(sessions, job_id, "failed", clock, error=_error(exc))
                return "failed"
            job.options = {**job.options, "project_version": version}
            session.commit()
            kind, options = job.kind, dict(job.options)
            report = Reporter(sessions, job, clock)
        return _compute(sessions, job_id, kind, project, options, report, clock)
    finally:
        engine.dispose()


def _compute(
    sessions: sessionmaker[Session],
    job_id: int,
    kind: str,
    project: Project,
    options: dict[str, Any],
    report: Reporter,
    clock: Clock,
) -> str:
    try:
        result = KINDS[kind](project, options, report)
    except JobCancelled:
        status, result, error = "cancelled", None, None
    except TechpmError as exc:
        status, result, error = "failed", None, _error(exc)
    except Exception:  # any other failure is a crash: logged here, told without a traceback
        log.exception("job %s crashed", job_id)
        status, result, error = "failed", None, {"code": "job.crashed", "message": CRASHED}
    else:
        status, error = "succeeded", None
    finish(sessions, job_id, status, clock, result=result, error=error)
    return status


CRASHED = "the job stopped on an unexpected error"


def _error(exc: TechpmError) -> dict[str, Any]:
    return {"code": exc.code, "message": exc.message}
