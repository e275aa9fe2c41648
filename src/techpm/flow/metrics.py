"""Flow metrics of backlog items: how long work takes, how much is finished, where it waits.

All durations are calendar days (weekends count: a customer waits through them), as
fractions: started Monday 10:00 and finished Wednesday 16:00 is 2.25 days. Percentiles are
numpy's `method="linear"` (Hyndman and Fan's type 7, the default of numpy, R and
spreadsheets): the p-th percentile of n sorted values sits at position (n - 1) * p / 100,
interpolating between neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np

from techpm.domain.sprint import Sprint
from techpm.domain.workflow import Workflow
from techpm.flow.history import ItemHistory, days_between, end_of, state_runs

PERCENTILES = (50, 85, 95)


@dataclass(frozen=True)
class DurationStats:
    """Cycle or lead times of finished items; percentiles are None without items."""

    p50: float | None
    p85: float | None
    p95: float | None
    items: tuple[tuple[str, float], ...]  # (item id, days), in the order finished
    finished_on: tuple[date, ...] = ()  # the day each item finished, for charts


def percentiles(values: Sequence[float]) -> tuple[float | None, float | None, float | None]:
    if not values:
        return None, None, None
    p50, p85, p95 = np.percentile(np.asarray(values, dtype=float), PERCENTILES, method="linear")
    return float(p50), float(p85), float(p95)


def _stats(items: Sequence[ItemHistory], lead: bool) -> DurationStats:
    rows = []
    for item in items:
        days = item.lead_days if lead else item.cycle_days
        if days is not None and item.finished_at is not None:
            rows.append((item.finished_at, item.id, days))
    rows.sort(key=lambda row: row[0])
    p50, p85, p95 = percentiles([days for _, _, days in rows])
    return DurationStats(
        p50,
        p85,
        p95,
        tuple((item_id, days) for _, item_id, days in rows),
        tuple(at.date() for at, _, _ in rows),
    )


def cycle_time(items: Sequence[ItemHistory]) -> DurationStats:
    """Started to finished, over finished items that went through a started state."""
    return _stats(items, lead=False)


def lead_time(items: Sequence[ItemHistory]) -> DurationStats:
    """Created to finished, over finished items."""
    return _stats(items, lead=True)


@dataclass(frozen=True)
class WeekCount:
    monday: date
    count: int

    @property
    def week(self) -> str:
        """ISO 8601 week, `2027-W02`."""
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def throughput(items: Sequence[ItemHistory], first: date, last: date) -> tuple[WeekCount, ...]:
    """Items finished per ISO week (Monday to Sunday), every week from the one holding
    `first` to the one holding `last`, weeks without a finish included as zero."""
    start, stop = monday_of(first), monday_of(last)
    if stop < start:
        return ()
    counts = [0] * ((stop - start).days // 7 + 1)
    for item in items:
        if item.finished_at is None:
            continue
        k = (monday_of(item.finished_at.date()) - start).days // 7
        if 0 <= k < len(counts):
            counts[k] += 1
    return tuple(WeekCount(start + timedelta(days=7 * k), n) for k, n in enumerate(counts))


@dataclass(frozen=True)
class CumulativeFlow:
    """Items in each state at the end of each day; `counts[d][s]` for `days[d]`, `states[s]`."""

    states: tuple[str, ...]  # unknown states first (by name), then the workflow's in order
    days: tuple[date, ...]
    counts: tuple[tuple[int, ...], ...]

    def on(self, day: date) -> dict[str, int]:
        row = self.counts[self.days.index(day)]
        return dict(zip(self.states, row, strict=True))


def cumulative_flow(
    items: Sequence[ItemHistory], workflow: Workflow, first: date, last: date
) -> CumulativeFlow:
    """For each day from `first` to `last`, how many items ended the day in each state;
    an item counts from its creation, or from `first` when that is not known (see
    `history.state_runs`), so each day's total is the number of items there by its end."""
    since = datetime.combine(first, time())
    lives = [state_runs(item, workflow, since) for item in items]
    unknown = sorted({s for runs in lives for _, s in runs if not workflow.knows(s)})
    states = (*unknown, *workflow.states)
    column = {state: k for k, state in enumerate(states)}
    n_days = (last - first).days + 1
    if n_days <= 0:
        return CumulativeFlow(states, (), ())
    # +1 on the day an item's end-of-day state becomes s, -1 on the day it stops being s
    delta = np.zeros((n_days + 1, len(states)), dtype=np.int64)
    for life in lives:
        by_day: dict[int, str] = {}
        for at, state in life:
            by_day[(at.date() - first).days] = state  # the last change of a day wins
        runs = sorted(by_day.items())
        for k, (offset, state) in enumerate(runs):
            until = runs[k + 1][0] if k + 1 < len(runs) else n_days
            lo, hi = max(offset, 0), min(until, n_days)
            if hi > lo:
                delta[lo, column[state]] += 1
                delta[hi, column[state]] -= 1
    counts = np.cumsum(delta[:-1], axis=0)
    days = tuple(first + timedelta(days=k) for k in range(n_days))
    return CumulativeFlow(states, days, tuple(tuple(int(c) for c in row) for row in counts))


@dataclass(frozen=True)
class ItemAge:
    id: str
    state: str
    days: float  # since the item was started, to the end of the as-of day


def wip_age(items: Sequence[ItemHistory], workflow: Workflow, as_of: date) -> tuple[ItemAge, ...]:
    """Work in progress and how long it has been under way, oldest first. An item started
    and not finished, in a started state; its age runs from its start to the end of `as_of`."""
    moment = end_of(as_of)
    started = workflow.started_states
    ages = [
        ItemAge(item.id, item.state, days_between(item.started_at, moment))
        for item in items
        if item.state in started and item.started_at is not None and not item.done
    ]
    return tuple(sorted(ages, key=lambda age: (-age.days, age.id)))


@dataclass(frozen=True)
class FlowEfficiency:
    """Active time over active plus waiting time of finished items; None without any."""

    ratio: float | None
    active_days: float
    waiting_days: float
    blocked_days: float  # the part of waiting spent in blocked states
    items: int


def flow_efficiency(items: Sequence[ItemHistory]) -> FlowEfficiency:
    """Summed over the items finished after a start: time in active states against time in
    started states that are not active (blocked, and queues the workflow does not list as
    active), between each item's start and finish. Items without a history have no times
    in states and are left out."""
    finished = [
        i for i in items if i.entries and i.finished_at is not None and i.started_at is not None
    ]
    active = sum(i.active_days for i in finished)
    waiting = sum(i.waiting_days for i in finished)
    blocked = sum(i.blocked_days for i in finished)
    total = active + waiting
    return FlowEfficiency(
        active / total if total > 0 else None, active, waiting, blocked, len(finished)
    )


@dataclass(frozen=True)
class SprintVelocity:
    sprint: str
    points: float
    items: int  # items counted
    unestimated: int  # of which without points (counted as 0)


def velocity(
    items: Sequence[ItemHistory], sprints: Sequence[Sprint], as_of: date
) -> tuple[SprintVelocity, ...]:
    """Points finished per sprint started by `as_of`, by finish date: an item counts in the
    sprint whose dates (first to last day, included) hold the day it finished, whatever its
    `sprint` says. An item done without a known finish (no history) counts in its `sprint`."""
    rows = []
    for sprint in sorted(sprints, key=lambda s: (s.start, s.id)):
        if sprint.start > as_of:
            continue
        counted = [i for i in items if _finished_in(i, sprint)]
        points = sum(i.points or 0.0 for i in counted)
        missing = sum(1 for i in counted if i.points is None)
        rows.append(SprintVelocity(sprint.id, points, len(counted), missing))
    return tuple(rows)


def _finished_in(item: ItemHistory, sprint: Sprint) -> bool:
    if item.finished_at is not None:
        return sprint.start <= item.finished_at.date() <= sprint.finish
    return item.done and item.sprint == sprint.id


@dataclass(frozen=True)
class BurnDay:
    day: date
    scope: float  # points planned in the sprint by the end of the day
    completed: float  # ... of which finished by the end of the day
    remaining: float  # scope - completed


def burndown(
    items: Sequence[ItemHistory], sprint: Sprint, workflow: Workflow, as_of: date
) -> tuple[BurnDay, ...]:
    """Per day of the sprint up to `as_of`, the points of the items whose `sprint` is this
    one: in scope from the day they were created (from the first day when created before
    the sprint or unknown), completed while they end the day in a done state (items done
    without a history, from the first day). Items without points count 0."""
    members = [i for i in items if i.sprint == sprint.id]
    done = workflow.done_states
    last = min(sprint.finish, as_of)
    out = []
    day = sprint.start
    while day <= last:
        moment = end_of(day)
        scope = completed = 0.0
        for item in members:
            points = item.points or 0.0
            if item.created_at is not None and item.created_at >= moment:
                continue
            scope += points
            if item.entries:
                state = item.state_at(moment)
            elif item.finished_at is not None:  # done when the plan says it finished
                state = item.state if item.finished_at < moment else None
            else:
                state = item.state
            if state in done:
                completed += points
        out.append(BurnDay(day, scope, completed, scope - completed))
        day += timedelta(days=1)
    return tuple(out)


def latest_started(sprints: Sequence[Sprint], as_of: date) -> Sprint | None:
    """The sprint under way on `as_of`, else the last one before it."""
    started = [s for s in sprints if s.start <= as_of]
    return max(started, key=lambda s: (s.start, s.id)) if started else None


@dataclass(frozen=True)
class FlowMetrics:
    """Every flow metric of a set of items as of the end of one day."""

    as_of: date
    workflow: Workflow
    items: tuple[ItemHistory, ...]
    cycle_time: DurationStats
    lead_time: DurationStats
    throughput: tuple[WeekCount, ...]
    cumulative_flow: CumulativeFlow
    wip_age: tuple[ItemAge, ...]
    flow_efficiency: FlowEfficiency
    velocity: tuple[SprintVelocity, ...]
    burndown: dict[str, tuple[BurnDay, ...]]  # every sprint started by `as_of`
    current_sprint: Sprint | None  # under way on `as_of`, else the last before it


def _first_known(item: ItemHistory) -> list[datetime]:
    """The earliest moment known of an item: its creation, first move or actual dates."""
    known = [item.entries[0][0]] if item.entries else []
    known += [m for m in (item.started_at, item.finished_at) if m is not None]
    return [min(known)] if known else []


def flow_metrics(
    items: Sequence[ItemHistory], workflow: Workflow, sprints: Sequence[Sprint], as_of: date
) -> FlowMetrics:
    """`items` as of the end of `as_of` (see `history.item_histories`). The cumulative flow
    runs from the first item's creation, throughput from the week of the first finish, both
    to `as_of`."""
    created = [moment.date() for i in items for moment in _first_known(i)]
    finished = [i.finished_at.date() for i in items if i.finished_at is not None]
    started_sprints = sorted((s for s in sprints if s.start <= as_of), key=lambda s: s.start)
    return FlowMetrics(
        as_of=as_of,
        workflow=workflow,
        items=tuple(items),
        cycle_time=cycle_time(items),
        lead_time=lead_time(items),
        throughput=throughput(items, min(finished), as_of) if finished else (),
        cumulative_flow=cumulative_flow(items, workflow, min(created, default=as_of), as_of),
        wip_age=wip_age(items, workflow, as_of),
        flow_efficiency=flow_efficiency(items),
        velocity=velocity(items, sprints, as_of),
        burndown={s.id: burndown(items, s, workflow, as_of) for s in started_sprints},
        current_sprint=latest_started(sprints, as_of),
    )
