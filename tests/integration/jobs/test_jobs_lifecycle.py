"""A job's life in the pool: cancelled while it runs, computed on the version it read though
the plan moves on, failed when its worker process dies, and recovered after a restart."""

from __future__ import annotations

import os
import signal
import time

import pytest
from sqlalchemy import select

from techpm.domain.errors import TechpmError
from techpm.jobs import LocalPoolBackend
from techpm.persistence.rows import ProjectRow, TaskRow
from techpm.persistence.rows.server import JobRow
from techpm.services.jobs import recover_jobs, request_cancel
from tests.integration.jobs.conftest import NOW, Database, finished

LONG = 100_000  # iterations: far more than any test waits for


def _running(database: Database, backend: LocalPoolBackend) -> int:
    job_id = database.start(backend, "simulation", iterations=LONG, seed=1)
    view = database.wait(job_id, lambda v: v.progress > 0 or finished(v))
    assert (view.status, view.error) == ("running", None)
    return job_id


def test_cancelling_a_running_job_stops_it(database: Database, backend: LocalPoolBackend) -> None:
    job_id = _running(database, backend)
    with database.sessions() as session:
        asked = request_cancel(session, job_id, now=NOW)
        session.commit()
    backend.cancel(job_id)
    asked_at = time.monotonic()
    view = database.wait(job_id, finished, timeout_seconds=10)
    assert asked.status == "running"  # the worker, not the request, ends it
    assert (view.status, view.result, view.error) == ("cancelled", None, None)
    assert time.monotonic() - asked_at < 3
    assert 0 < view.progress < 1


def test_a_queued_job_is_cancelled_at_once(database: Database, backend: LocalPoolBackend) -> None:
    """With one worker busy, the second job waits; cancelling it never lets it start."""
    busy = _running(database, backend)
    job_id = database.start(backend, "simulation", iterations=10)
    with database.sessions() as session:
        view = request_cancel(session, job_id, now=NOW)
        session.commit()
        request_cancel(session, busy, now=NOW)
        session.commit()
    backend.cancel(job_id)
    assert (view.status, view.finished_at) == ("cancelled", NOW)
    assert database.wait(busy, finished).status == "cancelled"
    assert database.job(job_id).started_at is None


def test_a_job_keeps_the_version_it_computed_on(
    database: Database, backend: LocalPoolBackend
) -> None:
    job_id = database.start(backend, "simulation", iterations=20_000, seed=5)
    database.wait(job_id, lambda v: v.status != "queued")
    with database.sessions() as session:
        row = session.get(JobRow, job_id)
        assert row is not None
        while "project_version" not in row.options:  # written once the worker read the plan
            session.refresh(row)
        read_at = row.options["project_version"]
        task = session.scalars(select(TaskRow).order_by(TaskRow.id)).first()
        assert task is not None
        task.name = task.name + " (renamed)"
        session.commit()
        now_at = session.scalars(select(ProjectRow.version)).one()
    view = database.wait(job_id, finished)
    with database.sessions() as session:
        row = session.get(JobRow, job_id)
        assert row is not None
        assert view.status == "succeeded"
        assert row.options["project_version"] == read_at == row.project_version
        assert now_at > read_at


def test_a_worker_that_dies_fails_its_job(database: Database, backend: LocalPoolBackend) -> None:
    job_id = _running(database, backend)
    for pid in backend.worker_pids():
        os.kill(pid, signal.SIGKILL)
    view = database.wait(job_id, finished, timeout_seconds=10)
    assert view.status == "failed"
    assert view.error is not None
    assert view.error["code"] == "job.crashed"
    assert "Traceback" not in view.error["message"]
    after = database.start(backend, "simulation", iterations=50, seed=2)  # a fresh pool
    assert database.wait(after, finished).status == "succeeded"


def test_a_restart_fails_running_jobs_and_resubmits_queued_ones(database: Database) -> None:
    """The first server dies with one job running and one queued; the next one recovers."""
    with database.sessions() as session:
        project = session.scalars(select(ProjectRow)).one()
        rows = [
            JobRow(
                project_id=project.id,
                kind="simulation",
                status=status,
                progress=progress,
                options={"iterations": 40, "seed": 1, "level": None},
                project_version=project.version,
                cancel_requested=False,
                created_at=NOW,
            )
            for status, progress in (("running", 0.5), ("queued", 0.0), ("succeeded", 1.0))
        ]
        session.add_all(rows)
        session.commit()
        running, queued, done = (r.id for r in rows)
        again = recover_jobs(session, now=NOW)
        session.commit()
    assert again == [queued]
    lost = database.job(running)
    assert (lost.status, lost.finished_at) == ("failed", NOW)
    assert lost.error is not None
    assert lost.error["code"] == "job.interrupted"
    assert database.job(done).status == "succeeded"
    pool = LocalPoolBackend(database.url, max_workers=1)
    try:
        for job_id in again:
            pool.submit(job_id)
        assert database.wait(queued, finished).status == "succeeded"
    finally:
        pool.close()


def test_memory_sqlite_is_refused() -> None:
    for url in ("sqlite://", "sqlite:///:memory:"):
        with pytest.raises(TechpmError) as caught:
            LocalPoolBackend(url)
        assert caught.value.code == "job.memory_database"
