"""What a job's computation may call while it runs: a progress report that also tells it to
stop. Back ends implement `techpm.services.jobs.JobBackend`; this is the worker side."""

from __future__ import annotations

from typing import Protocol

from techpm.services.jobs import JobBackend

__all__ = ["JobBackend", "JobCancelled", "ProgressReport"]


class JobCancelled(Exception):
    """Raised out of a progress report when the job was asked to stop; the runner marks the
    job cancelled. Not a TechpmError: it never reaches a user."""


class ProgressReport(Protocol):
    def __call__(self, fraction: float) -> None:
        """Share done, 0 to 1; raises JobCancelled when the job should stop."""
