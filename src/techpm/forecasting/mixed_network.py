"""What the passes on several calendars need that does not change between iterations.

The network level by level, each level's links grouped by the task they belong to (in the
plan's order, so the first link reaching a bound is the one the reference pass names as
driver), the links between two calendars, and the milestones whose side of the day can
change with the iteration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from techpm.scheduling.bounds import TaskBounds
from techpm.scheduling.problem import ScheduleProblem

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Crossing:
    """Links of one level between two calendars: `rows` among the level's links."""

    rows: Ints
    source: int  # calendar the moment is taken on
    target: int  # calendar it is counted on
    finish: Bools  # per row: the link leaves from a finish (forward only)


@dataclass(frozen=True)
class Level:
    tasks: Ints
    other: Ints  # per link: the task at the far end
    owner: Ints  # per link: the level's task it belongs to
    own: Ints  # the owners, one per group of links
    starts: Ints  # where each owner's links begin
    from_finish: Bools
    to_finish: Bools
    lag: Ints
    crossings: tuple[Crossing, ...]
    milestones: tuple[tuple[int, int, int], ...]  # (task, first link, end) of milestones


class MixedNetwork:
    """What the passes need that does not change between iterations."""

    def __init__(self, problem: ScheduleProblem, bounds: TaskBounds) -> None:
        self.problem = problem
        self.cal = np.asarray(problem.calendar_idx, dtype=np.int64)
        self.calendars = len(problem.timelines)
        self.start_w = np.asarray(
            [tl.to_work(problem.start_minute) for tl in problem.timelines], dtype=np.int64
        )
        self.milestone = np.asarray(problem.milestone, dtype=np.bool_)
        self.complete = np.asarray(problem.complete, dtype=np.bool_)
        self.actual_finish = np.asarray(bounds.actual_finish, dtype=np.int64)[:, None]
        edges = problem.edges
        everything = np.arange(len(edges), dtype=np.int64)
        self.forward = self._levels(everything, into=True)
        started = np.asarray(bounds.started, dtype=np.bool_)
        kept = np.flatnonzero(edges.to_finish | ~started[edges.succ]).astype(np.int64)
        self.backward = self._levels(kept, into=False)
        # recorded actual dates shown as recorded: (task, start moment, finish moment)
        self.recorded = {j: (s, f) for j, s, f in problem.recorded}
        self.by_calendar = [np.flatnonzero(self.cal == c) for c in range(self.calendars)]
        # a milestone that can move to the morning of what it follows (cpm.finish_bias)
        cal = self.cal
        feeds_other = np.zeros(problem.size, dtype=np.bool_)
        feeds_other[edges.pred[cal[edges.pred] != cal[edges.succ]]] = True
        near = np.flatnonzero(
            self.milestone[edges.succ]
            & (cal[edges.pred] == cal[edges.succ])
            & ~feeds_other[edges.succ]
        )
        self.near = (
            edges.pred[near],
            edges.succ[near],
            edges.from_finish[near],
            edges.lag_minutes[near].astype(np.int64),
        )

    def _levels(self, links: Ints, *, into: bool) -> list[Level]:
        problem = self.problem
        edges = problem.edges
        level_of = np.zeros(problem.size, dtype=np.int64)
        for number, tasks in enumerate(problem.levels):
            level_of[tasks] = number
        owner_all = (edges.succ if into else edges.pred)[links]
        other_all = (edges.pred if into else edges.succ)[links]
        order = np.lexsort((owner_all, level_of[owner_all]))  # stable: links keep plan order
        links, owner_all, other_all = links[order], owner_all[order], other_all[order]
        cuts = np.searchsorted(level_of[owner_all], np.arange(len(problem.levels) + 1))
        out = []
        for number, tasks in enumerate(problem.levels):
            a, b = cuts[number], cuts[number + 1]
            owner, other = owner_all[a:b], other_all[a:b]
            firsts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if b > a else owner[:0]
            from_finish = edges.from_finish[links[a:b]]
            ends = np.r_[firsts[1:], len(owner)] if b > a else firsts
            group = {
                int(t): (int(s), int(e))
                for t, s, e in zip(owner[firsts], firsts, ends, strict=True)
            }
            out.append(
                Level(
                    tasks=tasks,
                    other=other,
                    owner=owner,
                    own=owner[firsts],
                    starts=firsts,
                    from_finish=from_finish,
                    to_finish=edges.to_finish[links[a:b]],
                    lag=edges.lag_minutes[links[a:b]].astype(np.int64),
                    crossings=self._crossings(other, owner, from_finish, into=into),
                    milestones=tuple(
                        (int(j), *group.get(int(j), (0, 0)))
                        for j in tasks
                        if into and self.milestone[j]
                    ),
                )
            )
        return out

    def _crossings(
        self, other: Ints, owner: Ints, from_finish: Bools, *, into: bool
    ) -> tuple[Crossing, ...]:
        cal = self.cal
        found = []
        for a in range(self.calendars):
            for b in range(self.calendars):
                if a == b:
                    continue
                rows = np.flatnonzero((cal[other] == a) & (cal[owner] == b))
                if rows.size:
                    found.append(Crossing(rows, a, b, from_finish[rows] & into))
        return tuple(found)
