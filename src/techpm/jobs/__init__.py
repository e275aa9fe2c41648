"""Background jobs: the code that runs a job row's computation outside the request, and the
back ends that move the work (a local process pool; the JobBackend protocol is in services)."""

from techpm.jobs.backend import JobCancelled, ProgressReport
from techpm.jobs.local_pool import LocalPoolBackend

__all__ = ["JobCancelled", "LocalPoolBackend", "ProgressReport"]
