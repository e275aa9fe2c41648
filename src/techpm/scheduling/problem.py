"""Compile a Project into the index-based problem the engines work on.

Summary tasks are not scheduled themselves: a link to a summary binds each of its leaves,
a link from a summary's finish comes from each of its leaves, and a summary's constraints,
deadline and calendar apply to every leaf below it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

import numpy as np
import numpy.typing as npt

from techpm.domain.calendar import STANDARD_CALENDAR, Calendar, resolve_calendars
from techpm.domain.dependency import DependencyType
from techpm.domain.project import Project
from techpm.domain.task import Constraint, ConstraintType, Moment, Task
from techpm.scheduling.network import topological_levels
from techpm.scheduling.recorded import milestone_minute, recorded_moments
from techpm.scheduling.timeline import HolidayLookup, Timeline, no_holidays

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

LINK_TYPES = (DependencyType.FS, DependencyType.SS, DependencyType.FF, DependencyType.SF)
_TYPE_CODE = {t: code for code, t in enumerate(LINK_TYPES)}


@dataclass(frozen=True)
class Edge:
    pred: int
    succ: int
    type: DependencyType
    lag_minutes: int
    dependency: int  # index into Project.dependencies


@dataclass(frozen=True)
class Edges:
    """Links between leaf tasks as parallel columns (numpy), read by the engines."""

    pred: IntArray
    succ: IntArray
    kind: IntArray  # index into LINK_TYPES
    lag_minutes: IntArray
    dependency: IntArray

    def __len__(self) -> int:
        return len(self.pred)

    def __getitem__(self, k: int) -> Edge:
        return Edge(
            int(self.pred[k]),
            int(self.succ[k]),
            LINK_TYPES[int(self.kind[k])],
            int(self.lag_minutes[k]),
            int(self.dependency[k]),
        )

    @cached_property
    def from_finish(self) -> BoolArray:
        return np.asarray((self.kind == 0) | (self.kind == 2), dtype=np.bool_)

    @cached_property
    def to_finish(self) -> BoolArray:
        return np.asarray(self.kind >= 2, dtype=np.bool_)


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
    edges: Edges
    levels: tuple[IntArray, ...]  # tasks whose predecessors all sit in earlier levels
    start_minute: int
    constraints: tuple[tuple[Constraint, ...], ...]
    deadline_minute: tuple[int | None, ...]
    actual_start_minute: tuple[int | None, ...]
    actual_finish_minute: tuple[int | None, ...]
    complete: tuple[bool, ...]
    minutes_per_day: int
    status_minute: int | None = None  # end of the status date: work left starts after it
    remaining: tuple[int | None, ...] = ()  # per leaf, work left when it is under way
    # (task, start, finish) moments of recorded actual dates as they are shown (recorded.py)
    recorded: tuple[tuple[int, int | None, int | None], ...] = ()
    calendars: dict[str, Calendar] = field(default_factory=dict, compare=False)
    holidays: HolidayLookup = no_holidays

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def epoch(self) -> date:
        return self.timelines[0].epoch

    @cached_property
    def order(self) -> list[int]:
        """A topological order of the tasks (level by level)."""
        if not self.levels:
            return []
        return np.concatenate(self.levels).tolist()  # type: ignore[no-any-return]

    @cached_property
    def preds(self) -> list[list[int]]:
        """Edge indices into each task, in edge order."""
        out: list[list[int]] = [[] for _ in range(self.size)]
        for k, j in enumerate(self.edges.succ.tolist()):
            out[j].append(k)
        return out

    @cached_property
    def succs(self) -> list[list[int]]:
        """Edge indices out of each task, in edge order."""
        out: list[list[int]] = [[] for _ in range(self.size)]
        for k, i in enumerate(self.edges.pred.tolist()):
            out[i].append(k)
        return out

    @cached_property
    def recorded_at(self) -> dict[int, tuple[int | None, int | None]]:
        """Recorded (start, finish) moments as shown, by task index."""
        return {j: (start, finish) for j, start, finish in self.recorded}

    @property
    def single_calendar(self) -> bool:
        return len(set(self.calendar_idx)) <= 1

    def moment_minute(self, moment: Moment, *, finish: bool) -> int:
        return moment_minute(moment, self.epoch, finish=finish)


def moment_minute(moment: Moment, epoch: date, *, finish: bool) -> int:
    """A date starts at its midnight, or for a finish ends at the next midnight."""
    if isinstance(moment, datetime):
        return (moment.date() - epoch).days * 1440 + moment.hour * 60 + moment.minute
    day = moment + timedelta(days=1) if finish else moment
    return (day - epoch).days * 1440


@dataclass(frozen=True)
class _Inherited:
    """What a task passes down to everything below it in the WBS."""

    constraints: tuple[Constraint, ...] = ()
    calendar: str | None = None
    deadline: Moment | None = None


def compile_problem(project: Project, holidays: HolidayLookup = no_holidays) -> ScheduleProblem:
    specs = dict(project.calendars)
    specs.setdefault(project.info.calendar, STANDARD_CALENDAR)
    calendars = resolve_calendars(specs)
    epoch = _epoch(project)
    # Timelines for the calendars tasks use, the project's first; the others are not built.
    inherited = _inheritance(project)
    used = {inh.calendar for inh in inherited.values() if inh.calendar is not None}
    calendar_ids = [project.info.calendar, *sorted(used - {project.info.calendar})]
    calendar_pos = {cid: i for i, cid in enumerate(calendar_ids)}
    timelines = tuple(Timeline(calendars[cid], epoch, holidays) for cid in calendar_ids)

    children = project.children
    leaves = [t for t in project.tasks if t.id not in children]
    ids = tuple(t.id for t in leaves)
    index = {tid: i for i, tid in enumerate(ids)}
    default_calendar = 0
    own = [inherited[t.id] for t in leaves]

    def minute(moment: Moment | None, *, finish: bool) -> int | None:
        return None if moment is None else moment_minute(moment, epoch, finish=finish)

    edges = _edges(project, index)
    levels = topological_levels(len(ids), edges.pred, edges.succ, ids)
    milestone = tuple(t.milestone or not t.duration_minutes for t in leaves)
    calendar_idx = tuple(
        default_calendar if inh.calendar is None else calendar_pos[inh.calendar] for inh in own
    )
    evening = _fed_by_finish(len(ids), edges)
    actual_start: list[int | None] = []
    actual_finish: list[int | None] = []
    recorded: list[tuple[int, int | None, int | None]] = []
    for j, t in enumerate(leaves):
        if t.actual_start is None and t.actual_finish is None:
            actual_start.append(None)
            actual_finish.append(None)
            continue
        point = milestone[j] and not t.duration_minutes
        if point:
            # a milestone's recorded day is one instant: its evening when a finish feeds it
            actual_start.append(_milestone_minute(t.actual_start, epoch, evening[j]))
            actual_finish.append(_milestone_minute(t.actual_finish, epoch, evening[j]))
        else:
            actual_start.append(minute(t.actual_start, finish=False))
            actual_finish.append(minute(t.actual_finish, finish=True))
        shown = recorded_moments(
            timelines[calendar_idx[j]],
            t.actual_start,
            t.actual_finish,
            milestone=point,
            evening=evening[j],
        )
        recorded.append((j, *shown))
    return ScheduleProblem(
        project=project,
        ids=ids,
        index=index,
        duration=tuple(t.duration_minutes or 0 for t in leaves),
        milestone=milestone,
        calendar_idx=calendar_idx,
        timelines=timelines,
        edges=edges,
        levels=tuple(levels),
        start_minute=(project.info.start - epoch).days * 1440,
        constraints=tuple(inh.constraints for inh in own),
        deadline_minute=tuple(minute(inh.deadline, finish=True) for inh in own),
        actual_start_minute=tuple(actual_start),
        actual_finish_minute=tuple(actual_finish),
        complete=tuple(t.actual_finish is not None or t.percent_complete >= 100 for t in leaves),
        minutes_per_day=project.units.minutes_per_day,
        calendars=calendars,
        holidays=holidays,
        status_minute=(
            None
            if project.info.status_date is None
            else moment_minute(project.info.status_date, epoch, finish=True)
        ),
        remaining=tuple(_remaining(t) for t in leaves),
        recorded=tuple(recorded),
    )


def _fed_by_finish(n: int, edges: Edges) -> list[bool]:
    """Tasks with a link from a predecessor's finish (FS or FF)."""
    fed = np.zeros(n, dtype=np.bool_)
    fed[edges.succ[edges.from_finish]] = True
    out: list[bool] = fed.tolist()
    return out


def _milestone_minute(moment: Moment | None, epoch: date, evening: bool) -> int | None:
    return None if moment is None else milestone_minute(moment, epoch, evening=evening)


def _inheritance(project: Project) -> dict[str, _Inherited]:
    """Constraints, calendar and earliest deadline of each task with its summaries' (WBS order)."""
    empty = _Inherited()
    found: dict[str, _Inherited] = {}
    for task in project.tasks:
        parent = found[task.parent] if task.parent is not None else empty
        if (
            not task.constraints
            and task.calendar is None
            and task.deadline is None
            and not task.needs_items
        ):
            found[task.id] = parent
            continue
        deadline = parent.deadline
        if task.deadline is not None and (
            deadline is None or _sort_key(task.deadline) < _sort_key(deadline)
        ):
            deadline = task.deadline
        found[task.id] = _Inherited(
            constraints=task.constraints + parent.constraints + _gates(project, task),
            calendar=task.calendar if task.calendar is not None else parent.calendar,
            deadline=deadline,
        )
    return found


def _remaining(task: Task) -> int | None:
    """Work left on a task under way: as recorded, or its duration times what is not done."""
    if task.actual_start is None or task.actual_finish is not None:
        return None
    if task.remaining_minutes is not None:
        return task.remaining_minutes
    return round((task.duration_minutes or 0) * (1 - task.percent_complete / 100))


def _gates(project: Project, task: Task) -> tuple[Constraint, ...]:
    """A task that needs procured items starts no earlier than they are there."""
    days = [
        project.item_ready(project.item_by_id[item])
        for item in task.needs_items
        if item in project.item_by_id
    ]
    if not days:
        return ()
    return (Constraint(ConstraintType.START_NO_EARLIER_THAN, max(days), gate=True),)


def _sort_key(moment: Moment) -> tuple[date, int]:
    if isinstance(moment, datetime):
        return (moment.date(), moment.hour * 60 + moment.minute)
    return (moment, 24 * 60)


def _edges(project: Project, index: dict[str, int]) -> Edges:
    """One edge per pair of leaves a link binds; leaf-to-leaf links map straight across."""
    deps = project.dependencies
    pred = np.fromiter((index.get(d.predecessor, -1) for d in deps), np.int64, len(deps))
    succ = np.fromiter((index.get(d.successor, -1) for d in deps), np.int64, len(deps))
    kind = np.fromiter((_TYPE_CODE[d.type] for d in deps), np.int64, len(deps))
    lag = np.fromiter((d.lag_minutes for d in deps), np.int64, len(deps))
    dep_idx = np.arange(len(deps), dtype=np.int64)
    summary = np.flatnonzero((pred < 0) | (succ < 0))
    if summary.size:
        extra: list[tuple[int, int, int]] = []  # (pred, succ, dependency)
        for d in summary.tolist():
            dep = deps[d]
            succ_leaves = [index[x] for x in project.leaves_under(dep.successor)]
            for x in project.leaves_under(dep.predecessor):
                extra.extend((index[x], si, d) for si in succ_leaves)
        keep = np.flatnonzero((pred >= 0) & (succ >= 0))
        more = np.asarray(extra, dtype=np.int64).reshape(-1, 3)
        added = more[:, 2]
        pred = np.concatenate([pred[keep], more[:, 0]])
        succ = np.concatenate([succ[keep], more[:, 1]])
        kind = np.concatenate([kind[keep], kind[added]])
        lag = np.concatenate([lag[keep], lag[added]])
        dep_idx = np.concatenate([dep_idx[keep], added])
        order = np.argsort(dep_idx, kind="stable")  # keep the plan's order of links
        pred, succ, kind, lag, dep_idx = (a[order] for a in (pred, succ, kind, lag, dep_idx))
    return Edges(pred=pred, succ=succ, kind=kind, lag_minutes=lag, dependency=dep_idx)


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
