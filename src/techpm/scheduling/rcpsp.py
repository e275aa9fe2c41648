"""The resource-constrained scheduling problem the leveling engines solve, by index.

Time is in whole periods (a working slot of the plan's calendar, or a PSPLIB time unit).
A link says start[succ] >= start[pred] + delay, which covers the four link types with lags:
FS: delay = duration[pred] + lag, SS: lag, FF: duration[pred] + lag - duration[succ],
SF: lag - duration[succ]. Capacity may vary by period (vacations, part-time weeks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class RcpspProblem:
    duration: tuple[int, ...]
    demand: tuple[tuple[tuple[int, int], ...], ...]  # per activity: (resource, units) pairs
    capacity: tuple[int, ...]  # per resource: units available in a normal period
    links: tuple[tuple[int, int, int], ...]  # (pred, succ, delay on starts)
    release: tuple[int, ...] = ()  # earliest start per activity (default 0)
    fixed: tuple[int | None, ...] = ()  # imposed start per activity (actuals, must-start-on)
    due: tuple[int | None, ...] = ()  # wished latest finish (deadlines): soft, after makespan
    capacity_changes: tuple[tuple[tuple[int, int, int], ...], ...] = ()
    """Per resource: (from period, to period, capacity) spans where capacity differs."""
    priority: tuple[int, ...] = ()  # higher goes first among equals
    names: tuple[str, ...] = field(default=(), compare=False)

    @property
    def size(self) -> int:
        return len(self.duration)

    @property
    def resources(self) -> int:
        return len(self.capacity)

    def release_of(self, j: int) -> int:
        return self.release[j] if self.release else 0

    def fixed_of(self, j: int) -> int | None:
        return self.fixed[j] if self.fixed else None

    @cached_property
    def preds(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Per activity: (predecessor, delay)."""
        out: list[list[tuple[int, int]]] = [[] for _ in range(self.size)]
        for i, j, d in self.links:
            out[j].append((i, d))
        return tuple(tuple(x) for x in out)

    @cached_property
    def succs(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Per activity: (successor, delay)."""
        out: list[list[tuple[int, int]]] = [[] for _ in range(self.size)]
        for i, j, d in self.links:
            out[i].append((j, d))
        return tuple(tuple(x) for x in out)

    @cached_property
    def topological_order(self) -> tuple[int, ...]:
        indegree = [len(p) for p in self.preds]
        stack = [j for j in range(self.size - 1, -1, -1) if indegree[j] == 0]
        order: list[int] = []
        while stack:
            i = stack.pop()
            order.append(i)
            for j, _ in self.succs[i]:
                indegree[j] -= 1
                if indegree[j] == 0:
                    stack.append(j)
        if len(order) != self.size:
            raise ValueError("the links of a leveling problem must not form a cycle")
        return tuple(order)

    @cached_property
    def earliest_starts(self) -> tuple[int, ...]:
        """Resource-free earliest starts (the critical-path schedule)."""
        es = [0] * self.size
        for j in self.topological_order:
            start = self.release_of(j)
            for i, d in self.preds[j]:
                start = max(start, es[i] + d)
            fixed = self.fixed_of(j)
            es[j] = fixed if fixed is not None else start
        return tuple(es)

    @cached_property
    def critical_path_bound(self) -> int:
        """No schedule can finish earlier than this, whatever the resources."""
        es = self.earliest_starts
        return max((es[j] + self.duration[j] for j in range(self.size)), default=0)

    def tails(self, makespan: int, *, with_due: bool = True) -> tuple[int, ...]:
        """Latest starts that still finish by `makespan` (and by each due date, unless
        `with_due` is off: due dates are wishes, not limits), ignoring resources."""
        ls = [makespan - p for p in self.duration]
        for j, due in enumerate(self.due if with_due else ()):
            if due is not None:
                ls[j] = min(ls[j], due - self.duration[j])
        for i in reversed(self.topological_order):
            for j, d in self.succs[i]:
                ls[i] = min(ls[i], ls[j] - d)
        return tuple(ls)

    def capacity_profile(self, resource: int, horizon: int) -> list[int]:
        """Units available in each period from 0 to `horizon`."""
        profile = [self.capacity[resource]] * horizon
        if self.capacity_changes:
            for start, end, units in self.capacity_changes[resource]:
                for t in range(max(0, start), min(end, horizon)):
                    profile[t] = units
        return profile

    def trivial_horizon(self) -> int:
        """A makespan every feasible problem achieves: activities one after another."""
        spread = sum(self.duration) + sum(max(0, d) for _, _, d in self.links)
        latest = max((f for f in self.fixed if f is not None), default=0) if self.fixed else 0
        # changes before period 0 (a vacation before the work can start) bound nothing
        last_change = max(
            (max(0, end) for changes in self.capacity_changes for _, end, _ in changes),
            default=0,
        )
        return max(self.release or (0,)) + spread + latest + last_change + 1


def tardiness(problem: RcpspProblem, starts: Sequence[int]) -> int:
    """Periods by which activities finish after their due dates, summed."""
    if not problem.due:
        return 0
    return sum(
        max(0, s + p - due)
        for s, p, due in zip(starts, problem.duration, problem.due, strict=True)
        if due is not None
    )


def makespan(problem: RcpspProblem, starts: Sequence[int]) -> int:
    return max((s + p for s, p in zip(starts, problem.duration, strict=True)), default=0)
