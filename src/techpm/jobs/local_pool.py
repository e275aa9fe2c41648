"""Jobs in a pool of local worker processes started with the server. The processes are
spawned, never forked: the server has threads, and a forked copy of a lock held by one of
them would never be released. Each worker opens its own engine from the database URL."""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime

from sqlalchemy import Engine

from techpm.domain.errors import TechpmError
from techpm.jobs.runner import add_event, run_job
from techpm.persistence.database import make_engine, session_factory
from techpm.persistence.rows.server import JobRow
from techpm.persistence.urls import SQLITE_SCHEMES, sqlite_file

log = logging.getLogger(__name__)
CRASHED = {"code": "job.crashed", "message": "the worker process running the job stopped"}


class JobBackendError(TechpmError):
    code = "job.backend"


def _shared_database(url: str) -> str:
    """The URL, unless it names a database other processes cannot open (SQLite in memory)."""
    scheme = url.strip().partition("://")[0].lower()
    if scheme in SQLITE_SCHEMES and sqlite_file(url) is None:
        raise JobBackendError(
            "background jobs need a database the worker processes can open: an SQLite file "
            "or PostgreSQL, not SQLite in memory",
            code="job.memory_database",
        )
    return url


class LocalPoolBackend:
    """A JobBackend on `max_workers` spawned processes; the job rows hold every state."""

    def __init__(self, database_url: str, *, max_workers: int = 2) -> None:
        self.database_url = _shared_database(database_url)
        self.max_workers = max_workers
        self._lock = threading.Lock()
        self._pool = self._new_pool()
        self._futures: dict[int, Future[str | None]] = {}
        self._engine: Engine | None = None
        self._closed = False

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(self.max_workers, mp_context=context)

    def submit(self, job_id: int) -> None:
        with self._lock:
            if self._closed:
                raise JobBackendError("the job pool is closed", code="job.unavailable")
            try:
                future = self._pool.submit(run_job, self.database_url, job_id)
            except BrokenProcessPool:  # a worker died earlier: start a fresh pool
                self._pool = self._new_pool()
                future = self._pool.submit(run_job, self.database_url, job_id)
            self._futures[job_id] = future
        future.add_done_callback(lambda done: self._done(job_id, done))

    def cancel(self, job_id: int) -> None:
        """A job still waiting for a worker is dropped; a running one stops at its next
        progress report, when the worker reads the row's cancel_requested flag."""
        with self._lock:
            future = self._futures.get(job_id)
        if future is not None:
            future.cancel()

    def worker_pids(self) -> list[int]:
        """The worker processes' ids, for health checks and for stopping one from outside."""
        with self._lock:
            processes = getattr(self._pool, "_processes", None) or {}
            return sorted(processes)

    def close(self, timeout_seconds: float = 5.0) -> None:
        """Stop taking jobs, drop the waiting ones, give the running ones `timeout_seconds`,
        then end their processes (the next start's recover_jobs marks them interrupted)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            processes = list((getattr(self._pool, "_processes", None) or {}).values())
            self._pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + timeout_seconds
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.terminate()
                process.join(1.0)
        if self._engine is not None:
            self._engine.dispose()

    def _done(self, job_id: int, future: Future[str | None]) -> None:
        """In the parent: a worker that died mid-job leaves its row running, so fail it here;
        a job the broken pool never started goes to a fresh pool."""
        with self._lock:
            if self._futures.get(job_id) is future:
                del self._futures[job_id]
        if future.cancelled() or future.exception() is None:
            return
        log.error("job %s: worker failed: %r", job_id, future.exception())
        try:
            status = self._fail_if_running(job_id)
            if status == "queued" and not self._closed:
                self.submit(job_id)
        except Exception:  # the callback thread must not die: the next start recovers it
            log.exception("job %s: could not record the worker's failure", job_id)

    def _fail_if_running(self, job_id: int) -> str | None:
        if self._engine is None:
            self._engine = make_engine(self.database_url)
        with session_factory(self._engine)() as session:
            job = session.get(JobRow, job_id)
            if job is None:
                return None
            if job.status == "running":
                job.status, job.error = "failed", dict(CRASHED)
                job.finished_at = datetime.now(UTC)
                add_event(session, job, "job.finished", job.finished_at)
                session.commit()
            return job.status
