"""Serial schedule generation and forward-backward improvement (justification).

The serial scheme takes activities in a precedence-feasible order and starts each at the
earliest period its links allow and every resource has room for its whole duration
(Kelley 1963; Kolisch 1996). Justification (Valls, Ballestin & Quintanilla 2005) shifts
every activity as late as it can go without passing the makespan, then as early as it can
go again in that new order; the makespan never grows and often shrinks.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from techpm.scheduling.rcpsp import RcpspProblem, makespan


class InfeasibleError(Exception):
    """An activity can never fit: it asks a resource for more than it ever has."""


class SerialSgs:
    """Schedules one problem many times; keeps its fixed data in plain lists for speed."""

    def __init__(self, problem: RcpspProblem, horizon: int | None = None) -> None:
        self.problem = problem
        self.n = problem.size
        self.duration = list(problem.duration)
        self.demand = [list(d) for d in problem.demand]
        self.preds = [list(p) for p in problem.preds]
        self.release = [problem.release_of(j) for j in range(self.n)]
        self.fixed = [problem.fixed_of(j) for j in range(self.n)]
        self.horizon = horizon or max(problem.critical_path_bound * 2, 16)
        self.limit = problem.trivial_horizon()
        self.base = [problem.capacity_profile(k, self.horizon) for k in range(problem.resources)]
        self._reversed: dict[int, SerialSgs] = {}
        self.pinned = [j for j in range(self.n) if self.fixed[j] is not None and self.duration[j]]
        self.rank = [0] * self.n
        for position, j in enumerate(problem.topological_order):
            self.rank[j] = position
        self.nonnegative = all(d >= 0 for _, _, d in problem.links)

    def _grow(self, avail: list[list[int]], needed: int) -> None:
        if needed > self.limit:
            raise InfeasibleError("no period leaves room for an activity")
        extra = max(needed - self.horizon, self.horizon)
        more = [self.problem.capacity_profile(k, self.horizon + extra) for k in range(len(avail))]
        for k, row in enumerate(avail):
            row.extend(more[k][self.horizon :])
            self.base[k] = more[k]
        self.horizon += extra

    def forward(self, order: Sequence[int]) -> list[int]:
        """Earliest feasible start of each activity, taken in `order` (preds first)."""
        avail = [row[:] for row in self.base]
        size = len(avail[0]) if avail else 0
        starts = [0] * self.n
        duration, demand, preds = self.duration, self.demand, self.preds
        release, fixed = self.release, self.fixed
        # imposed starts take their capacity first, whatever the order of the others
        for j in self.pinned:
            end = fixed[j] + duration[j]  # type: ignore[operator]
            if end > size:
                self._grow(avail, end)
                size = len(avail[0])
            for k, u in demand[j]:
                row = avail[k]
                row[fixed[j] : end] = [x - u for x in row[fixed[j] : end]]
        for j in order:
            p = duration[j]
            t = release[j]
            for i, d in preds[j]:
                if starts[i] + d > t:
                    t = starts[i] + d
            pinned = fixed[j]
            needs = demand[j]
            if pinned is not None:
                t = pinned
            elif p and len(needs) == 1:
                # one resource: after a jump only the part of the window past the old end
                # is new, so only that part needs checking
                k, u = needs[0]
                row = avail[k]
                checked = t
                while True:
                    end = t + p
                    if end > size:
                        self._grow(avail, end)
                        size = len(avail[0])
                        row = avail[k]
                    window = row[checked:end]
                    if min(window) >= u:
                        break
                    last = len(window) - 1
                    while window[last] >= u:
                        last -= 1
                    t = checked + last + 1
                    checked = max(t, end)
            elif p and needs:
                moved = True
                while moved:
                    moved = False
                    end = t + p
                    if end > size:
                        self._grow(avail, end)
                        size = len(avail[0])
                    for k, u in needs:
                        row = avail[k]
                        if min(row[t:end]) < u:
                            last = end - 1
                            while row[last] >= u:
                                last -= 1
                            t = last + 1
                            moved = True
                            break
            starts[j] = t
            if p and needs and pinned is None:
                end = t + p
                if end > size:
                    self._grow(avail, end)
                    size = len(avail[0])
                for k, u in needs:
                    row = avail[k]
                    row[t:end] = [x - u for x in row[t:end]]
        return starts

    def reversed_for(self, total: int) -> SerialSgs:
        """The mirror problem: time runs back from `total`, links point backwards."""
        cached = self._reversed.get(total)
        if cached is not None:
            return cached
        problem = self.problem
        p = problem.duration
        mirror = RcpspProblem(
            duration=problem.duration,
            demand=problem.demand,
            capacity=problem.capacity,
            links=tuple((j, i, d + p[j] - p[i]) for i, j, d in problem.links),
            fixed=tuple(
                None if f is None else total - f - p[j] for j, f in enumerate(problem.fixed)
            )
            if problem.fixed
            else (),
            capacity_changes=tuple(
                tuple((total - end, total - start, units) for start, end, units in changes)
                for changes in problem.capacity_changes
            ),
        )
        sgs = SerialSgs(mirror, max(total, 1))
        if len(self._reversed) > 8:
            self._reversed.clear()
        self._reversed[total] = sgs
        return sgs

    def list_of(self, starts: Sequence[int]) -> list[int]:
        """Activities by start, predecessors first among equal starts."""
        rank = self.rank
        return sorted(range(self.n), key=lambda j: (starts[j], rank[j]))

    def feasible(self, order: list[int]) -> list[int]:
        """`order`, repaired only if links with negative delays can make it infeasible:
        with none, lists built by list_of() are always precedence-feasible."""
        return order if self.nonnegative else repair_order(order, self.preds)

    def justify(self, starts: list[int], rounds: int = 1_000) -> list[int]:
        """Forward-backward improvement until the makespan stops shrinking (or `rounds`)."""
        best = starts
        best_span = makespan(self.problem, best)
        p = self.duration
        for _ in range(rounds):
            total = best_span
            mirror = self.reversed_for(total)
            rank = self.rank
            order = sorted(range(self.n), key=lambda j: (-(best[j] + p[j]), -rank[j]))
            back = mirror.forward(mirror.feasible(order))
            right = [total - back[j] - p[j] for j in range(self.n)]
            if any(right[j] < self.release[j] for j in range(self.n)):
                return best
            again = self.forward(self.feasible(self.list_of(right)))
            span = makespan(self.problem, again)
            if span >= best_span:
                return best if span > best_span else again
            best, best_span = again, span
        return best


def repair_order(order: list[int], preds: list[list[tuple[int, int]]]) -> list[int]:
    """The precedence-feasible order closest to `order`: always take the earliest activity in
    `order` whose predecessors are all placed."""
    n = len(order)
    position = [0] * n
    for rank, j in enumerate(order):
        position[j] = rank
    if all(position[i] < position[j] for j in order for i, _ in preds[j]):
        return order
    waiting = [len(preds[j]) for j in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for j in range(n):
        for i, _ in preds[j]:
            succs[i].append(j)
    ready = [position[j] for j in range(n) if not waiting[j]]
    heapq.heapify(ready)
    out: list[int] = []
    while ready:
        j = order[heapq.heappop(ready)]
        out.append(j)
        for k in succs[j]:
            waiting[k] -= 1
            if not waiting[k]:
                heapq.heappush(ready, position[k])
    return out
