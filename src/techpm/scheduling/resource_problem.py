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
    base = problem.calendars[base_id]
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
    duration = [-(-d // g) for d in problem.duration]
    edges = problem.edges
    links = []
    for k in range(len(edges)):
        i, j = int(edges.pred[k]), int(edges.succ[k])
        delay = int(edges.lag_minutes[k])
        if edges.from_finish[k]:
            delay += problem.duration[i]
        if edges.to_finish[k]:
            delay -= problem.duration[j]
        links.append((i, j, -(-delay // g)))
    bounds = task_bounds(problem)

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
    horizon = min(
        MAX_PROFILE_PERIODS,
        (tl.to_work(schedule.finish_minute) - origin) // g + sum(duration) + 1,
    )
    changes = tuple(
        _availability(schedule, r, capacity[k], tl, origin, g, horizon)
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


def _availability(
    schedule: Schedule,
    resource: Resource,
    capacity: int,
    tl: Timeline,
    origin: int,
    g: int,
    horizon: int,
) -> tuple[tuple[int, int, int], ...]:
    """Spans of periods where the resource has less than its full capacity."""
    problem = schedule.problem
    if resource.calendar in (None, problem.project.info.calendar):
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
