"""Turn a scheduled plan and its bookings into the leveling problem, in periods of the
project calendar's working time.

A period is the largest slot that divides every duration, lag and the working day (a day
for day-sized plans, an hour for plans with 4h tasks). Units become hundredths so that half
a person is exact. A resource is available in a period in proportion to the working time its
own calendar (with vacations) has there, so holidays, vacations and part-time weeks take
capacity away where they fall.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from techpm.domain.calendar import Calendar
from techpm.domain.resource import Resource
from techpm.scheduling.bounds import NONE_HIGH, NONE_LOW, task_bounds
from techpm.scheduling.problem import ScheduleProblem
from techpm.scheduling.rcpsp import RcpspProblem
from techpm.scheduling.result import Schedule
from techpm.scheduling.timeline import Timeline

UNIT_SCALE = 100  # units are kept in hundredths
MIN_PERIOD = 15  # minutes
MAX_PROFILE_PERIODS = 400_000


@dataclass(frozen=True)
class LevelingInput:
    rcpsp: RcpspProblem
    period_minutes: int
    origin_w: int  # project-calendar working offset of period 0
    resource_ids: tuple[str, ...]
    timeline: Timeline  # the project calendar's


def period_size(schedule: Schedule) -> int:
    problem = schedule.problem
    values = [d for d in problem.duration if d > 0]
    values += [abs(int(lag)) for lag in problem.edges.lag_minutes.tolist() if lag]
    values.append(problem.minutes_per_day)
    return max(MIN_PERIOD, math.gcd(*values))


def resource_calendar(problem: ScheduleProblem, resource: Resource) -> Calendar:
    """The resource's calendar with its vacations as days off."""
    base_id = resource.calendar or problem.project.info.calendar
    return with_vacations(problem.calendars[base_id], resource)


def with_vacations(base: Calendar, resource: Resource) -> Calendar:
    """`base` with the resource's vacations as days off."""
    days = []
    for first, last in resource.vacations:
        day = first
        while day <= last:
            days.append((day, ()))
            day += timedelta(days=1)
    return Calendar(
        id=f"resource:{resource.id}",
        week=base.week,
        holidays=base.holidays,
        exceptions=base.exceptions + tuple(days),
        working_hours=base.working_hours,
    )


def build_leveling_input(
    schedule: Schedule, bookings: list[tuple[tuple[str, float], ...]]
) -> LevelingInput:
    problem = schedule.problem
    project = problem.project
    tl = problem.timelines[0]
    g = period_size(schedule)
    origin = tl.to_work(problem.start_minute)
    n = problem.size
    bounds = task_bounds(problem)
    # far enough for any leveled schedule: the network, all the work one task after the
    # other, every day away, and two more years for calendars that change over time
    away_days = sum((b - a).days + 1 for r in project.resources for a, b in r.vacations)
    per_day = problem.minutes_per_day // g
    horizon = min(
        MAX_PROFILE_PERIODS,
        (tl.to_work(schedule.finish_minute) - origin) // g
        + -(-sum(problem.duration) // g)
        + (away_days + 2 * 261) * per_day
        + 1,
    )
    spans = _Spans(schedule, tl, origin, g, horizon)
    longest, shortest = _durations(schedule, spans, bounds.started)
    edges = problem.edges
    links = []
    for k in range(len(edges)):
        i, j = int(edges.pred[k]), int(edges.succ[k])
        # a successor waits for the longest its predecessor may take on its own calendar,
        # and the longest its lag may take on the successor's; a finish link counts the
        # shortest span the successor may have
        delay = spans.of(problem.calendar_idx[j], int(edges.lag_minutes[k]))[0]
        if edges.from_finish[k]:
            delay += longest[i]
        elif not bounds.started[i]:
            delay += spans.wait(problem.calendar_idx[i])
        if edges.to_finish[k]:
            delay -= shortest[j]
        links.append((i, j, delay))
    duration = longest

    def period_of(j: int, w: int, *, up: bool) -> int:
        if problem.calendar_idx[j] != 0:
            own = problem.timelines[problem.calendar_idx[j]]
            w = tl.to_work(own.start_at(w))
        offset = w - origin
        return max(0, -(-offset // g) if up else offset // g)

    release = [
        period_of(j, bounds.low[j], up=True) if bounds.low[j] != NONE_LOW else 0 for j in range(n)
    ]
    fixed: list[int | None] = [
        period_of(j, bounds.fixed[j], up=False) if bounds.fixed[j] != NONE_LOW else None
        for j in range(n)
    ]
    due: list[int | None] = [
        (bounds.high[j] - origin) // g
        if bounds.high[j] != NONE_HIGH and problem.calendar_idx[j] == 0
        else None
        for j in range(n)
    ]
    resources = project.resources
    index = {r.id: k for k, r in enumerate(resources)}
    demand = []
    for j in range(n):
        units: dict[int, int] = {}
        for resource_id, amount in bookings[j]:
            k = index[resource_id]
            units[k] = units.get(k, 0) + round(amount * UNIT_SCALE)
        demand.append(tuple(sorted(units.items())) if duration[j] else ())
    capacity = tuple(round(r.bookable * UNIT_SCALE) for r in resources)
    calendars_used: dict[str, set[str]] = {}
    for j in range(n):
        for resource_id, _ in bookings[j]:
            calendars_used.setdefault(resource_id, set()).add(
                problem.timelines[problem.calendar_idx[j]].calendar.id
            )
    changes = tuple(
        _availability(schedule, r, capacity[k], tl, origin, g, horizon, calendars_used)
        for k, r in enumerate(resources)
    )
    rcpsp = RcpspProblem(
        duration=tuple(duration),
        demand=tuple(demand),
        capacity=capacity,
        links=tuple(links),
        release=tuple(release),
        fixed=tuple(fixed),
        due=tuple(due) if any(d is not None for d in due) else (),
        capacity_changes=changes,
        priority=tuple(project.task_by_id[t].priority for t in problem.ids),
        names=problem.ids,
    )
    return LevelingInput(rcpsp, g, origin, tuple(r.id for r in resources), tl)


class _Spans:
    """How many project periods an amount of work takes on a task's own calendar.

    On the project calendar, the amount divided by the period. On another calendar it
    depends on where the work falls (a German holiday inside a US plan), so it is measured
    from every period start up to the horizon: the longest for what a successor must wait,
    the shortest for what it may overlap.
    """

    def __init__(self, schedule: Schedule, tl: Timeline, origin: int, g: int, horizon: int):
        self.problem = schedule.problem
        self.tl = tl
        self.g = g
        self.period_starts = origin + g * np.arange(horizon, dtype=np.int64)
        self.moments = tl.start_at_many(self.period_starts)
        self.cache: dict[tuple[int, int], tuple[int, int]] = {}
        self.waits: dict[tuple[str, int], int] = {}

    def wait(self, calendar: int) -> int:
        """Most whole periods from a period's start to the calendar's first working moment."""
        if calendar == 0:
            return 0
        if ("wait", calendar) in self.waits:
            return self.waits[("wait", calendar)]
        own = self.problem.timelines[calendar]
        begin = own.start_at_many(own.to_work_many(self.moments))
        widths = self.tl.to_work_many(begin) - self.period_starts
        self.waits[("wait", calendar)] = int(-(-widths.max() // self.g))
        return self.waits[("wait", calendar)]

    def of(self, calendar: int, minutes: int) -> tuple[int, int]:
        """(longest, shortest) whole periods `minutes` of work may take, from any start."""
        g = self.g
        if calendar == 0:
            return -(-minutes // g), minutes // g if minutes >= 0 else -(-minutes // g)
        if minutes == 0:
            return self.wait(calendar), 0  # a milestone waits for its calendar to work
        key = (calendar, minutes)
        if key not in self.cache:
            own = self.problem.timelines[calendar]
            if minutes > 0:
                finish = own.finish_at_many(own.to_work_many(self.moments) + minutes)
            else:
                finish = own.start_at_many(own.to_work_many(self.moments) + minutes)
            widths = self.tl.to_work_many(finish) - self.period_starts
            self.cache[key] = (int(-(-widths.max() // g)), int(widths.min() // g))
        return self.cache[key]


def _durations(
    schedule: Schedule, spans: _Spans, started: list[bool]
) -> tuple[list[int], list[int]]:
    """Longest and shortest span of each task; started tasks keep their dates' span."""
    problem = schedule.problem
    tl, g = spans.tl, spans.g
    longest, shortest = [], []
    for j in range(problem.size):
        if started[j]:
            width = tl.to_work(schedule.early_finish_at[j]) - tl.to_work(schedule.early_start_at[j])
            longest.append(max(0, -(-width // g)))
            shortest.append(longest[-1])
        else:
            most, least = spans.of(problem.calendar_idx[j], problem.duration[j])
            longest.append(most)
            shortest.append(least)
    return longest, shortest


def _availability(
    schedule: Schedule,
    resource: Resource,
    capacity: int,
    tl: Timeline,
    origin: int,
    g: int,
    horizon: int,
    calendars_used: dict[str, set[str]],
) -> tuple[tuple[int, int, int], ...]:
    """Spans of periods where the resource has less than its full capacity.

    When a resource only works on tasks of its own calendar, those tasks' spans already
    pass over the days that calendar has off, so only its vacations take capacity away.
    """
    problem = schedule.problem
    own_calendar = resource.calendar or problem.project.info.calendar
    if own_calendar == problem.project.info.calendar or calendars_used.get(resource.id, set()) <= {
        own_calendar
    }:
        return _vacations(problem, resource, tl, origin, g)
    own = Timeline(resource_calendar(problem, resource), problem.epoch, problem.holidays)
    edges = origin + g * np.arange(horizon + 1, dtype=np.int64)
    begin = tl.start_at_many(edges[:-1])
    end = tl.finish_at_many(edges[1:])
    worked = own.to_work_many(end) - own.to_work_many(begin)
    available = (capacity * np.minimum(worked, g)) // g
    spans: list[tuple[int, int, int]] = []
    short = np.flatnonzero(available < capacity)
    if not short.size:
        return ()
    # merge runs of equal reduced capacity
    breaks = np.flatnonzero((np.diff(short) != 1) | (np.diff(available[short]) != 0)) + 1
    for run in np.split(short, breaks):
        spans.append((int(run[0]), int(run[-1]) + 1, int(available[run[0]])))
    return tuple(spans)


def _vacations(
    problem: ScheduleProblem, resource: Resource, tl: Timeline, origin: int, g: int
) -> tuple[tuple[int, int, int], ...]:
    """On the project calendar itself, only days away take capacity away: whole periods
    from the first working minute of the first day away to the last of the last."""
    spans = []
    for first, last in resource.vacations:
        begin = tl.to_work(problem.moment_minute(first, finish=False)) - origin
        end = tl.to_work(problem.moment_minute(last, finish=True)) - origin
        if end > 0 and end > begin:
            spans.append((max(0, begin) // g, -(-end // g), 0))
    return tuple(sorted(spans))
