"""Working offsets on one calendar read on another, as lookup tables over many iterations.

A link between tasks on different calendars goes through a moment: the predecessor's
offset becomes a start or finish moment on its calendar (`Timeline.start_at`, `finish_at`),
which the successor's calendar counts in its own working minutes (`to_work`). Both steps
are monotone functions of whole minutes, so their composition is one table indexed by the
offset: one gather per link and iteration instead of two binary searches. Tables cover the
offsets seen so far and grow on demand; negative offsets take the exact conversion.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from techpm.scheduling.timeline import Timeline

Ints = npt.NDArray[np.int64]
Kind = Literal["start", "finish"]
_EMPTY: Ints = np.zeros(0, dtype=np.int64)


class WorkMaps:
    """Tables `to_work` of calendar b at `start_at` / `finish_at` of calendar a."""

    def __init__(self, timelines: tuple[Timeline, ...]) -> None:
        self.timelines = timelines
        self._tables: dict[tuple[int, int, Kind], Ints] = {}

    def convert(self, a: int, b: int, kind: Kind, w: Ints) -> Ints:
        """The moment `kind` of offset `w` on calendar a, as an offset on calendar b."""
        if a == b:  # on its own calendar a moment of offset w is at w (at 0 before it)
            same: Ints = np.maximum(w, 0)
            return same
        key = (a, b, kind)
        table = self._tables.get(key, _EMPTY)
        top = max(int(w.max()), 0) if w.size else 0  # index 0 stands for every negative
        if top >= len(table):
            # only the new offsets, and a quarter more: iterations reach a little further
            end = max(top + 1, len(table) + len(table) // 4)
            new = np.arange(len(table), end, dtype=np.int64)
            table = np.concatenate([table, self._exact(a, b, kind, new)])
            self._tables[key] = table
        if w.size and int(w.min()) >= 0:
            found: Ints = table[w]
            return found
        out: Ints = table[np.maximum(w, 0)]
        negative = w < 0
        out[negative] = self._exact(a, b, kind, w[negative])
        return out

    def _exact(self, a: int, b: int, kind: Kind, w: Ints) -> Ints:
        source = self.timelines[a]
        moments = source.start_at_many(w) if kind == "start" else source.finish_at_many(w)
        return self.timelines[b].to_work_many(moments)

    def at_moment(self, b: int, moment: int) -> int:
        """A fixed moment (a recorded date) as an offset on calendar b."""
        return self.timelines[b].to_work(moment)
