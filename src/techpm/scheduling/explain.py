"""Why a task starts when it does: its driving links, constraints and calendar gaps, back to
the project start."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from techpm.domain.units import format_duration
from techpm.scheduling.resource_problem import resource_calendar
from techpm.scheduling.result import (
    DRIVER_ACTUAL,
    DRIVER_START,
    DRIVER_STATUS,
    Schedule,
    constraint_driver,
)
from techpm.scheduling.timeline import Timeline


@dataclass(frozen=True)
class NonWorkingDay:
    day: date
    reason: str


@dataclass(frozen=True)
class ExplanationStep:
    """One link of the chain: `task_id` starts at `start` because of `kind`."""

    task_id: str
    task_name: str
    start: datetime
    kind: str  # "link", "resource", "constraint", "actual_start", "project_start"
    reason: str
    predecessor: str | None = None
    link_type: str | None = None
    lag_minutes: int = 0
    waits: tuple[NonWorkingDay, ...] = ()
    also_driving: tuple[str, ...] = ()


@dataclass(frozen=True)
class Explanation:
    task_id: str
    summary_of: str | None  # the leaf explained, when task_id is a summary
    steps: tuple[ExplanationStep, ...]


def explain_task(schedule: Schedule, task_id: str) -> Explanation:
    """Walk the driving predecessors from `task_id` back to what anchors the chain."""
    problem = schedule.problem
    project = problem.project
    summary_of = None
    if project.is_summary(task_id):
        leaves = [problem.index[leaf] for leaf in project.leaves_under(task_id)]
        first = min(leaves, key=lambda i: (schedule.early_start_at[i], i))
        summary_of = problem.ids[first]
        j = first
    else:
        j = problem.index[task_id]
    steps: list[ExplanationStep] = []
    seen: set[int] = set()
    while j not in seen:
        seen.add(j)
        step, previous = _step(schedule, j)
        steps.append(step)
        if previous is None:
            break
        j = previous
    return Explanation(task_id=task_id, summary_of=summary_of, steps=tuple(steps))


def _leveled_driver(schedule: Schedule, j: int) -> int | None:
    """In a leveled schedule the link that holds a task back, or None if it is resources
    (or its own constraint or actual start) that decide."""
    tight = [k for k in schedule.problem.preds[j] if schedule.edge_slack(k) == 0]
    return tight[0] if tight else None


def _resource_step(schedule: Schedule, j: int) -> tuple[ExplanationStep, int] | None:
    """The booking a leveled task waits for: the task that frees its resources."""
    blockers = [i for i, k in schedule.resource_links if k == j]
    if not blockers:
        return None
    problem = schedule.problem
    i = blockers[0]
    mine = {r for r, _ in schedule.assignments[j]}
    shared = sorted(mine & {r for r, _ in schedule.assignments[i]})
    until = schedule.moment(schedule.early_finish_at[i])
    task = problem.project.task_by_id[problem.ids[j]]
    step = ExplanationStep(
        task_id=task.id,
        task_name=task.name,
        start=schedule.moment(schedule.early_start_at[j]),
        kind="resource",
        reason=f"waits for {', '.join(shared)}, busy on {problem.ids[i]} until "
        f"{until:%a %Y-%m-%d %H:%M}",
        predecessor=problem.ids[i],
        also_driving=tuple(problem.ids[x] for x in blockers[1:]),
    )
    return step, i


def _away_step(schedule: Schedule, j: int) -> ExplanationStep | None:
    """A leveled task that waits for a person to be back: one of its people is away during
    the task's last working period before it starts."""
    problem = schedule.problem
    start = schedule.early_start_at[j]
    if start <= problem.start_minute or problem.actual_start_minute[j] is not None:
        return None
    tl = problem.timelines[problem.calendar_idx[j]]
    k = bisect_right(tl.ends, start) - 1
    if k < 0 or tl.ends[k] <= problem.start_minute:
        return None
    a, b = tl.starts[k], tl.ends[k]
    for resource_id, _ in schedule.bookings[j]:
        resource = problem.project.resource_by_id.get(resource_id)
        if resource is None:
            continue
        own = Timeline(resource_calendar(problem, resource), problem.epoch, problem.holidays)
        if own.to_work(b) - own.to_work(a) < b - a:
            task = problem.project.task_by_id[problem.ids[j]]
            return ExplanationStep(
                task_id=task.id,
                task_name=task.name,
                start=schedule.moment(start),
                kind="resource",
                reason=f"waits for {resource_id} to be back (away on {tl.day_of(a)})",
            )
    return None


def _step(schedule: Schedule, j: int) -> tuple[ExplanationStep, int | None]:
    problem = schedule.problem
    task = problem.project.task_by_id[problem.ids[j]]
    tl = problem.timelines[problem.calendar_idx[j]]
    start = schedule.moment(schedule.early_start_at[j])
    drv = schedule.driver[j]
    if schedule.leveling is not None:
        link = _leveled_driver(schedule, j)
        if link is not None:
            drv = link
        elif (waiting := _resource_step(schedule, j)) is not None:
            return waiting
        elif (away := _away_step(schedule, j)) is not None:
            return away, None
        elif drv >= 0:
            drv = DRIVER_START
    es = schedule.early_start_w[j]
    if drv >= 0:
        reference = tl.finish_at(es)  # where the link lets the task start, before any break
    elif drv == DRIVER_START:
        reference = problem.start_minute
    elif drv in (DRIVER_ACTUAL, DRIVER_STATUS):
        reference = schedule.early_start_at[j]
    else:
        on = problem.constraints[j][constraint_driver(0) - drv]
        reference = problem.moment_minute(on.on, finish=on.type.on_finish)
    waits = tuple(
        NonWorkingDay(day, tl.why_not_working(day))
        for day in _days(tl.day_of(reference), tl.day_of(schedule.early_start_at[j]))
        if not tl.hours_on(day)
    )
    units = problem.project.units
    common = {"task_id": task.id, "task_name": task.name, "start": start, "waits": waits}
    if drv >= 0:
        edge = problem.edges[drv]
        pred = problem.ids[edge.pred]
        ties = tuple(
            problem.ids[problem.edges[k].pred]
            for k in problem.preds[j]
            if k != drv and schedule.edge_slack(k) == 0
        )
        what = {"FS": "finishes", "FF": "finishes", "SS": "starts", "SF": "starts"}
        lag = ""
        if edge.lag_minutes:
            sign = "+" if edge.lag_minutes > 0 else "-"
            lag = f" {sign} {format_duration(abs(edge.lag_minutes), units)}"
        verb = "finish" if edge.type.to_finish else "start"
        reason = f"must {verb} after {pred} {what[edge.type.value]}{lag} ({edge.type.value} link)"
        step = ExplanationStep(
            **common,  # type: ignore[arg-type]
            kind="link",
            reason=reason,
            predecessor=pred,
            link_type=edge.type.value,
            lag_minutes=edge.lag_minutes,
            also_driving=ties,
        )
        return step, edge.pred
    if drv == DRIVER_ACTUAL:
        reason = f"actually started on {task.actual_start}"
        return ExplanationStep(**common, kind="actual_start", reason=reason), None  # type: ignore[arg-type]
    if drv == DRIVER_STATUS:
        status = problem.project.info.status_date
        reason = f"had not started by the status date {status}, so its work starts after it"
        return ExplanationStep(**common, kind="status_date", reason=reason), None  # type: ignore[arg-type]
    if drv == DRIVER_START:
        start_day = problem.project.info.start
        reason = f"has nothing holding it back, so it starts with the project on {start_day}"
        return ExplanationStep(**common, kind="project_start", reason=reason), None  # type: ignore[arg-type]
    constraint = problem.constraints[j][constraint_driver(0) - drv]
    if constraint.gate:
        items = ", ".join(task.needs_items)
        reason = f"waits for procured items ({items}), there on {constraint.on}"
        return ExplanationStep(**common, kind="procurement", reason=reason), None  # type: ignore[arg-type]
    owner = "" if constraint in task.constraints else " (set on its summary task)"
    reason = f"has the date constraint {constraint.type.value} {constraint.on}{owner}"
    return ExplanationStep(**common, kind="constraint", reason=reason), None  # type: ignore[arg-type]


def _days(first: date, last: date) -> list[date]:
    """Days from `first` up to, not including, `last`."""
    return [first + timedelta(days=n) for n in range((last - first).days)]
