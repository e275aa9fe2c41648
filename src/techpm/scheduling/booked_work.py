"""Work booked on each person over any span, kept as it grows: the load the assignment of
skill needs compares, in O(log n) per booking and per question instead of a scan of every
earlier booking (which made staffing a plan with thousands of needs take seconds).

Bookings and questions use the same points on one working-time axis (the start and finish
of each task). The booked units form a step function; its integral up to point i is
x_i * sum(D_m) - sum(D_m * x_m) over the steps D_m placed before i, kept in two Fenwick
trees per person, one row per person so that every candidate is asked at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


class BookedWork:
    def __init__(self, people: Sequence[str], points: npt.NDArray[np.int64]) -> None:
        self.x = np.unique(points).astype(np.float64)
        self.row = {person: k for k, person in enumerate(people)}
        size = len(self.x) + 1
        self.steps = np.zeros((len(people), size))
        self.moments = np.zeros((len(people), size))

    def index(self, point: int) -> int:
        return int(np.searchsorted(self.x, point))

    def book(self, person: str, start: int, finish: int, units: float) -> None:
        """`units` of `person` from `start` to `finish` (points given to the constructor)."""
        row = self.row.get(person)
        if row is None or finish <= start:
            return
        for i, amount in ((self.index(start), units), (self.index(finish), -units)):
            weighted = amount * self.x[i]
            k = i + 1
            while k < self.steps.shape[1]:
                self.steps[row, k] += amount
                self.moments[row, k] += weighted
                k += k & -k

    def _integral(self, rows: list[int], i: int) -> npt.NDArray[np.float64]:
        """Booked work of each row before point i (steps strictly before it)."""
        path = []
        k = i
        while k > 0:
            path.append(k)
            k -= k & -k
        if not path:
            return np.zeros(len(rows))
        steps = self.steps[np.ix_(rows, path)].sum(axis=1)
        moments = self.moments[np.ix_(rows, path)].sum(axis=1)
        return self.x[i] * steps - moments  # type: ignore[no-any-return]

    def between(self, people: Sequence[str], start: int, finish: int) -> list[float]:
        """Work each person has booked in [start, finish)."""
        rows = [self.row[p] for p in people]
        if not rows or finish <= start:
            return [0.0] * len(rows)
        a, b = self.index(start), self.index(finish)
        found: list[float] = (self._integral(rows, b) - self._integral(rows, a)).tolist()
        return found
