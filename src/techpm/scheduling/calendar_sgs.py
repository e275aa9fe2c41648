"""The serial scheme on real calendars: a leveled schedule in moments, from a priority order.

The leveling engines search on a grid of project-calendar periods, where a task on another
calendar can only be given the longest span it may take there; dates read straight off that
grid are late by up to a week on a Berlin task in a US plan. This decoder takes the engines'
order and places each task, in that order, at the earliest working offset of its own
calendar that its links allow (read through real moments, as the critical path method does)
and at which every person it books has room for the whole task, and is at work whenever
the task works. With nothing competing, every task lands on its critical-path date.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from techpm.domain.calendar import MINUTES_PER_DAY
from techpm.scheduling.bounds import NONE_LOW, TaskBounds, task_bounds
from techpm.scheduling.cpm import finishes_into
from techpm.scheduling.resource_problem import resource_calendar
from techpm.scheduling.result import DRIVER_START, Schedule
from techpm.scheduling.timeline import Timeline

TOLERANCE = 1e-6
GIVE_UP_DAYS = 2 * 366  # a person who is never at work when the task works: stop looking
NO_TASK = -1


@dataclass(frozen=True)
class Placement:
    """Per task: working offsets on its own calendar, moments, the link that set its start
    (a driver code) and the task whose booking it waited for (or NO_TASK)."""

    start_w: list[int]
    finish_w: list[int]
    start_at: list[int]
    finish_at: list[int]
    driver: list[int]
    blocker: list[int]

    @property
    def finish_minute(self) -> int:
        return max(self.finish_at, default=0)


class CalendarSgs:
    def __init__(self, schedule: Schedule, bookings: Sequence[Sequence[tuple[str, float]]]):
        self.schedule = schedule
        problem = schedule.problem
        self.problem = problem
        self.bounds: TaskBounds = task_bounds(problem)
        resources = problem.project.resources
        index = {r.id: k for k, r in enumerate(resources)}
        self.capacity = [r.bookable for r in resources]
        self.demand: list[list[tuple[int, float]]] = []
        for j in range(problem.size):
            units: dict[int, float] = {}
            if problem.duration[j] > 0:
                for resource_id, amount in bookings[j]:
                    k = index[resource_id]
                    units[k] = units.get(k, 0.0) + amount
            self.demand.append(sorted(units.items()))
        self._own: dict[int, Timeline] = {}
        self._resources = resources
        # work under way keeps its dates, whatever the order
        self.pinned = [j for j in range(problem.size) if problem.actual_start_minute[j] is not None]

    def own(self, k: int) -> Timeline:
        """The resource's working time, with its vacations."""
        tl = self._own.get(k)
        if tl is None:
            p = self.problem
            tl = Timeline(resource_calendar(p, self._resources[k]), p.epoch, p.holidays)
            self._own[k] = tl
        return tl

    def _may_be_away(self, k: int, tl: Timeline) -> bool:
        """False when the person works on the task's own calendar and takes no vacations."""
        resource = self._resources[k]
        own = resource.calendar or self.problem.project.info.calendar
        return bool(resource.vacations) or own != tl.calendar.id

    def decode(self, order: Sequence[int]) -> Placement:
        """Place every task in `order` (predecessors first)."""
        problem, bounds, schedule = self.problem, self.bounds, self.schedule
        n = problem.size
        tls = problem.timelines
        cal = problem.calendar_idx
        edges = problem.edges
        e_pred = edges.pred.tolist()
        e_ff = edges.from_finish.tolist()
        e_tf = edges.to_finish.tolist()
        e_lag = edges.lag_minutes.tolist()
        start_w = [tl.to_work(problem.start_minute) for tl in tls]
        es_w, ef_w = [0] * n, [0] * n
        es_at, ef_at = [0] * n, [0] * n
        driver = [DRIVER_START] * n
        blocker = [NO_TASK] * n
        booked = [Bookings() for _ in self.capacity]
        placed = [False] * n
        for j in self.pinned:
            es_w[j], ef_w[j] = schedule.early_start_w[j], schedule.early_finish_w[j]
            es_at[j], ef_at[j] = schedule.early_start_at[j], schedule.early_finish_at[j]
            driver[j] = schedule.driver[j]
            placed[j] = True
            for k, u in self.demand[j]:
                booked[k].add(es_at[j], ef_at[j], u, j)
        for j in order:
            if placed[j]:
                continue
            cj = cal[j]
            tl = tls[cj]
            dj = problem.duration[j]
            es = start_w[cj]
            drv = DRIVER_START
            for k in problem.preds[j]:
                i = e_pred[k]
                if cal[i] == cj:
                    ref = ef_w[i] if e_ff[k] else es_w[i]
                else:
                    ref = tl.to_work(ef_at[i] if e_ff[k] else es_at[i])
                bound = ref + e_lag[k] - dj if e_tf[k] else ref + e_lag[k]
                if bound > es:
                    es, drv = bound, k
            if bounds.low[j] > es:
                es, drv = bounds.low[j], bounds.low_driver[j]
            if bounds.fixed[j] != NONE_LOW:
                es, drv = bounds.fixed[j], bounds.fixed_driver[j]
            elif self.demand[j]:
                es, blocker[j] = self._room(j, tl, es, dj, booked)
            es_w[j], ef_w[j] = es, es + dj
            driver[j] = drv
            if problem.milestone[j] and dj == 0:
                at = tl.finish_at(es) if finishes_into(problem, bounds, j, drv) else tl.start_at(es)
                es_at[j] = ef_at[j] = at
            else:
                es_at[j], ef_at[j] = tl.start_at(es), tl.finish_at(es + dj)
            placed[j] = True
            for k, u in self.demand[j]:
                booked[k].add(es_at[j], ef_at[j], u, j)
        return Placement(es_w, ef_w, es_at, ef_at, driver, blocker)

    def _room(
        self,
        j: int,
        tl: Timeline,
        es: int,
        dj: int,
        booked: list[Bookings],
    ) -> tuple[int, int]:
        """The earliest offset from `es` at which every booking of j fits, and the task it
        last waited for."""
        who = NO_TASK
        first, initial = tl.start_at(es), es
        away = True
        while True:
            s, f = tl.start_at(es), tl.finish_at(es + dj)
            jump: int | None = None
            for k, u in self.demand[j]:
                busy = _busy_until(booked[k], s, f, min(u, self.capacity[k]), self.capacity[k])
                if busy is not None:
                    jump, who = busy
                    break
                back = (
                    _back_at(tl, self.own(k), s, f) if away and self._may_be_away(k, tl) else None
                )
                if back is not None:
                    jump, who = back, NO_TASK
                    break
            if jump is None:
                return es, who
            if away and jump - first > GIVE_UP_DAYS * MINUTES_PER_DAY:
                # never at work when the task works: place it where the others leave room,
                # and verify says so
                away, es, who = False, initial, NO_TASK
                continue
            es = max(es + 1, tl.to_work(jump))


class Bookings:
    """One person's bookings so far, by start, to find those running at some moment fast."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.items: list[tuple[int, int, float, int]] = []
        self.longest = 0

    def add(self, start: int, finish: int, units: float, task: int) -> None:
        at = bisect_right(self.starts, start)
        self.starts.insert(at, start)
        self.items.insert(at, (start, finish, units, task))
        self.longest = max(self.longest, finish - start)

    def running(self, s: int, f: int) -> list[tuple[int, int, float, int]]:
        """Bookings that overlap [s, f)."""
        out = []
        k = bisect_left(self.starts, f) - 1
        while k >= 0 and self.starts[k] > s - self.longest:
            if self.items[k][1] > s:
                out.append(self.items[k])
            k -= 1
        return out


def _busy_until(
    booked: Bookings, s: int, f: int, u: float, capacity: float
) -> tuple[int, int] | None:
    """When [s, f) would ask more than the capacity: the end of the booking to wait for
    (the first to end among those running at the first overloaded moment), and its task."""
    running = booked.running(s, f)
    if not running or sum(b[2] for b in running) + u <= capacity + TOLERANCE:
        return None
    moments = sorted({s, *(b[0] for b in running if b[0] > s)})
    for t in moments:
        active = [b for b in running if b[0] <= t < b[1]]
        if sum(b[2] for b in active) + u > capacity + TOLERANCE:
            end = min(active, key=lambda b: (b[1], b[3]))
            return end[1], end[3]
    return None


def _back_at(task_tl: Timeline, own: Timeline, s: int, f: int) -> int | None:
    """The end of the first working interval of the task in [s, f) in which the person
    is not at work the whole time, or None when they always are."""
    task_tl.to_work(f)  # grows the grid far enough
    k = bisect_right(task_tl.ends, s)
    while k < len(task_tl.starts) and task_tl.starts[k] < f:
        a, b = max(s, task_tl.starts[k]), min(f, task_tl.ends[k])
        if b > a and own.to_work(b) - own.to_work(a) < b - a:
            return b
        k += 1
    return None
