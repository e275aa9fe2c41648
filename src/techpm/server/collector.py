"""Garbage collection for a server process. A server keeps a few plans of thousands of
tasks in memory for a long time, and Python's default full collection scans them all again
every few writes: pauses of 200-400 ms at 1,000 tasks, in the middle of whichever request
was running. What is alive once the server has started is frozen out of the scans, and
full collections come a hundred times less often; plans hold no reference cycles, so they
are freed as soon as they are dropped, and cyclic garbage is still collected."""

from __future__ import annotations

import gc

FULL_EVERY = 1_000  # second-generation collections between two full ones (default 10)


def tune_for_serving() -> None:
    gen0, gen1, _ = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(gen0, gen1, FULL_EVERY)
