"""Compile a Project into the index-based problem the engines work on.

Summary tasks are not scheduled themselves: a link to a summary binds each of its leaves,
a link from a summary's finish comes from each of its leaves, and a summary's constraints
apply to every leaf below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from techpm.domain.calendar import STANDARD_CALENDAR, resolve_calendars
from techpm.domain.dependency import DependencyType
from techpm.domain.project import Project
from techpm.domain.task import Constraint, Moment
from techpm.scheduling.network import topological_order
from techpm.scheduling.timeline import HolidayLookup, Timeline, no_holidays


@dataclass(frozen=True)
class Edge:
    pred: int
    succ: int
    type: DependencyType
    lag_minutes: int
    dependency: int  # index into Project.dependencies


@dataclass(frozen=True)
class ScheduleProblem:
    """Everything the CPM passes need, by task index; leaves and milestones only."""

    project: Project
    ids: tuple[str, ...]
    index: dict[str, int]
    duration: tuple[int, ...]
    milestone: tuple[bool, ...]
    calendar_idx: tuple[int, ...]
    timelines: tuple[Timeline, ...]
    edges: tuple[Edge, ...]
    preds: tuple[tuple[int, ...], ...]  # edge indices into `edges`, per successor
    succs: tuple[tuple[int, ...], ...]  # edge indices, per predecessor
    order: tuple[int, ...]
    start_minute: int
    constraints: tuple[tuple[Constraint, ...], ...]
    deadline_minute: tuple[int | None, ...]
    actual_start_minute: tuple[int | None, ...]
    actual_finish_minute: tuple[int | None, ...]
    complete: tuple[bool, ...]
    minutes_per_day: int

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def epoch(self) -> date:
        return self.timelines[0].epoch

    def moment_minute(self, moment: Moment, *, finish: bool) -> int:
        return moment_minute(moment, self.epoch, finish=finish)


def moment_minute(moment: Moment, epoch: date, *, finish: bool) -> int:
    """A date starts at its midnight, or for a finish ends at the next midnight."""
    if isinstance(moment, datetime):
        return (moment.date() - epoch).days * 1440 + moment.hour * 60 + moment.minute
    day = moment + timedelta(days=1) if finish else moment
    return (day - epoch).days * 1440


def compile_problem(project: Project, holidays: HolidayLookup = no_holidays) -> ScheduleProblem:
    specs = dict(project.calendars)
    specs.setdefault(project.info.calendar, STANDARD_CALENDAR)
    calendars = resolve_calendars(specs)
    epoch = _epoch(project)
    calendar_ids = list(calendars)
    timelines = tuple(Timeline(calendars[cid], epoch, holidays) for cid in calendar_ids)
    calendar_pos = {cid: i for i, cid in enumerate(calendar_ids)}
    default_calendar = calendar_pos[project.info.calendar]

    leaves = [t for t in project.tasks if not project.is_summary(t.id)]
    ids = tuple(t.id for t in leaves)
    index = {tid: i for i, tid in enumerate(ids)}

    def inherited(task_id: str) -> tuple[Constraint, ...]:
        found = list(project.task_by_id[task_id].constraints)
        for ancestor in project.ancestors(task_id):
            found.extend(project.task_by_id[ancestor].constraints)
        return tuple(found)

    def calendar_of(task_id: str) -> int:
        for tid in (task_id, *project.ancestors(task_id)):
            cal = project.task_by_id[tid].calendar
            if cal is not None:
                return calendar_pos[cal]
        return default_calendar

    edges: list[Edge] = []
    for dep_idx, dep in enumerate(project.dependencies):
        for p in project.leaves_under(dep.predecessor):
            for s in project.leaves_under(dep.successor):
                edges.append(Edge(index[p], index[s], dep.type, dep.lag_minutes, dep_idx))
    preds: list[list[int]] = [[] for _ in ids]
    succs: list[list[int]] = [[] for _ in ids]
    for e, edge in enumerate(edges):
        preds[edge.succ].append(e)
        succs[edge.pred].append(e)
    order = topological_order(len(ids), [[edges[e].succ for e in out] for out in succs], ids)

    def minute(moment: Moment | None, *, finish: bool) -> int | None:
        return None if moment is None else moment_minute(moment, epoch, finish=finish)

    def deadline(task_id: str) -> int | None:
        found = [
            m
            for tid in (task_id, *project.ancestors(task_id))
            if (m := minute(project.task_by_id[tid].deadline, finish=True)) is not None
        ]
        return min(found) if found else None

    start_minute = (project.info.start - epoch).days * 1440
    return ScheduleProblem(
        project=project,
        ids=ids,
        index=index,
        duration=tuple(t.duration_minutes or 0 for t in leaves),
        milestone=tuple(t.milestone or not t.duration_minutes for t in leaves),
        calendar_idx=tuple(calendar_of(t.id) for t in leaves),
        timelines=timelines,
        edges=tuple(edges),
        preds=tuple(tuple(p) for p in preds),
        succs=tuple(tuple(s) for s in succs),
        order=tuple(order),
        start_minute=start_minute,
        constraints=tuple(inherited(t.id) for t in leaves),
        deadline_minute=tuple(deadline(t.id) for t in leaves),
        actual_start_minute=tuple(minute(t.actual_start, finish=False) for t in leaves),
        actual_finish_minute=tuple(minute(t.actual_finish, finish=True) for t in leaves),
        complete=tuple(t.actual_finish is not None or t.percent_complete >= 100 for t in leaves),
        minutes_per_day=project.units.minutes_per_day,
    )


def _epoch(project: Project) -> date:
    """A little before the earliest date the plan mentions, so every moment is positive."""
    days: list[date] = [project.info.start]
    for task in project.tasks:
        for moment in (task.actual_start, task.actual_finish, task.deadline):
            if moment is not None:
                days.append(moment.date() if isinstance(moment, datetime) else moment)
        for constraint in task.constraints:
            on = constraint.on
            days.append(on.date() if isinstance(on, datetime) else on)
    return min(days) - timedelta(days=7)
