"""What a schedule run produces: per-task early/late dates, floats, drivers and diagnostics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from techpm.domain.errors import Diagnostic
from techpm.domain.task import ConstraintType, Moment
from techpm.scheduling.problem import ScheduleProblem

DRIVER_START = -1  # the project start date
DRIVER_ACTUAL = -2  # a recorded actual start
DRIVER_STATUS = -3  # not started by the status date: work left starts after it
_CONSTRAINT_BASE = -10

MAX_CRITICAL_PATHS = 20


def constraint_driver(position: int) -> int:
    """Driver code for the task's `position`-th (inherited) constraint."""
    return _CONSTRAINT_BASE - position


@dataclass(frozen=True)
class AssignmentChoice:
    task_id: str
    skill: str
    level: int
    chosen: tuple[tuple[str, float], ...]  # (resource id, units)
    reason: str


@dataclass(frozen=True)
class LevelingInfo:
    """How a leveled schedule was found, and how good it is known to be."""

    engine: str
    optimal: bool  # proven shortest for these bookings
    makespan_periods: int
    lower_bound_periods: int
    period_minutes: int
    seconds: float
    choices: tuple[AssignmentChoice, ...] = ()  # who was chosen for skill needs, and why
    makespan_minutes: int = 0  # working minutes of the project calendar, start to finish
    lower_bound_minutes: int = 0  # no schedule of these bookings is shorter
    produced_by: str = ""  # the engine or rule whose order gave the schedule

    def summary(self, minutes_per_day: int) -> str:
        """One line for a reader: who produced the schedule, how long, how good."""
        span = _days(self.makespan_minutes, minutes_per_day)
        bound = _days(self.lower_bound_minutes, minutes_per_day)
        proof = "proven shortest" if self.optimal else f"lower bound {bound}d"
        asked = "" if self.produced_by == self.engine else f" ({self.engine} asked)"
        return f"Leveled by {self.produced_by}{asked} in {self.seconds:.2f}s: {span}d, {proof}"


def _days(minutes: int, minutes_per_day: int) -> str:
    return f"{round(minutes / minutes_per_day, 2):g}"


@dataclass(frozen=True)
class ConstraintCheck:
    task_id: str
    kind: str  # a ConstraintType value, or "deadline"
    on: Moment
    holds: bool


@dataclass(frozen=True)
class TaskSchedule:
    """One row of the schedule, for a leaf, a milestone or a summary."""

    id: str
    name: str
    wbs: str
    level: int
    summary: bool
    milestone: bool
    start: datetime
    finish: datetime
    late_start: datetime
    late_finish: datetime
    duration_minutes: int
    total_float_minutes: int
    free_float_minutes: int
    critical: bool
    percent_complete: float


@dataclass(frozen=True)
class Schedule:
    """Working offsets (`*_w`) are on each task's own calendar; `*_at` are minutes after epoch."""

    problem: ScheduleProblem
    early_start_w: list[int]
    early_finish_w: list[int]
    late_start_w: list[int]
    late_finish_w: list[int]
    early_start_at: list[int]
    early_finish_at: list[int]
    late_start_at: list[int]
    late_finish_at: list[int]
    total_float: list[int]
    free_float: list[int]
    critical: list[bool]
    driver: list[int]
    finish_minute: int
    diagnostics: tuple[Diagnostic, ...]
    assignments: tuple[tuple[tuple[str, float], ...], ...] = ()  # per leaf: (resource, units)
    leveling: LevelingInfo | None = None
    resource_links: tuple[tuple[int, int], ...] = ()  # (i, j): j waits for i's resources

    def moment(self, minute: int) -> datetime:
        # asked four times per task row; tasks share their moments: make each one once
        cache = self._moments
        at = cache.get(minute)
        if at is None:
            at = cache[minute] = self._epoch_at + timedelta(minutes=minute)
        return at

    @cached_property
    def _epoch_at(self) -> datetime:
        return datetime.combine(self.problem.epoch, datetime.min.time())

    @cached_property
    def _moments(self) -> dict[int, datetime]:
        return {}

    @property
    def start(self) -> datetime:
        first = min(self.early_start_at, default=self.problem.start_minute)
        return self.moment(first)

    @property
    def finish(self) -> datetime:
        return self.moment(self.finish_minute)

    @property
    def minutes_per_day(self) -> int:
        return self.problem.minutes_per_day

    @cached_property
    def rows(self) -> list[TaskSchedule]:
        """Every task of the WBS in order, summaries rolled up from their leaves."""
        project = self.problem.project
        index = self.problem.index
        codes = project.wbs_codes()
        out: list[TaskSchedule] = []
        for task in project.tasks:
            leaves = [index[leaf] for leaf in project.leaves_under(task.id)]
            summary = project.is_summary(task.id)
            level = sum(1 for _ in project.ancestors(task.id))
            if summary:
                start = min(self.early_start_at[i] for i in leaves)
                finish = max(self.early_finish_at[i] for i in leaves)
                timeline = self.problem.timelines[self.problem.calendar_idx[leaves[0]]]
                duration = timeline.to_work(finish) - timeline.to_work(start)
                # finished work has no float left to give: judge a summary by what remains
                remaining = [i for i in leaves if not self.problem.complete[i]] or leaves
                total = min(self.total_float[i] for i in remaining)
                free = min(self.free_float[i] for i in remaining)
                late_start = min(self.late_start_at[i] for i in leaves)
                late_finish = max(self.late_finish_at[i] for i in leaves)
                critical = any(self.critical[i] for i in leaves)
            else:
                i = leaves[0]
                start, finish = self.early_start_at[i], self.early_finish_at[i]
                late_start, late_finish = self.late_start_at[i], self.late_finish_at[i]
                duration = self.early_finish_w[i] - self.early_start_w[i]
                total, free, critical = self.total_float[i], self.free_float[i], self.critical[i]
            out.append(
                TaskSchedule(
                    id=task.id,
                    name=task.name,
                    wbs=codes[task.id],
                    level=level,
                    summary=summary,
                    milestone=task.milestone or (not summary and self.problem.milestone[leaves[0]]),
                    start=self.moment(start),
                    finish=self.moment(finish),
                    late_start=self.moment(late_start),
                    late_finish=self.moment(late_finish),
                    duration_minutes=duration,
                    total_float_minutes=total,
                    free_float_minutes=free,
                    critical=critical,
                    percent_complete=task.percent_complete,
                )
            )
        return out

    @cached_property
    def bookings(self) -> tuple[tuple[tuple[str, float], ...], ...]:
        """Who works on each leaf task: the leveled bookings, or those named in the plan."""
        if self.assignments:
            return self.assignments
        project = self.problem.project
        return tuple(
            tuple((a.resource, a.units) for a in project.task_by_id[task_id].assignments)
            for task_id in self.problem.ids
        )

    @cached_property
    def _row_by_id(self) -> dict[str, TaskSchedule]:
        return {row.id: row for row in self.rows}

    def row(self, task_id: str) -> TaskSchedule:
        return self._row_by_id[task_id]

    def edge_slack(self, k: int) -> int:
        """Working time by which link k could stretch before it moves its successor."""
        edge = self.problem.edges[k]
        tls = self.problem.timelines
        cal = self.problem.calendar_idx
        i, j = edge.pred, edge.succ
        ref_at = self.early_finish_at[i] if edge.type.from_finish else self.early_start_at[i]
        if cal[i] == cal[j]:
            ref = self.early_finish_w[i] if edge.type.from_finish else self.early_start_w[i]
        else:
            ref = tls[cal[j]].to_work(ref_at)
        target = self.early_finish_w[j] if edge.type.to_finish else self.early_start_w[j]
        return target - (ref + edge.lag_minutes)

    @cached_property
    def critical_paths(self) -> list[list[str]]:
        """Chains of critical tasks joined by links without slack, from a start to an end."""
        problem = self.problem
        crit = self.critical
        tight_out: dict[int, list[int]] = {}
        has_tight_in: set[int] = set()
        pred, succ = problem.edges.pred, problem.edges.succ
        for k in range(len(pred)):
            i, j = pred[k], succ[k]
            if crit[i] and crit[j] and self.edge_slack(k) <= 0:
                tight_out.setdefault(i, []).append(j)
                has_tight_in.add(j)
        for i, j in self.resource_links:
            if crit[i] and crit[j]:
                tight_out.setdefault(i, []).append(j)
                has_tight_in.add(j)
        paths: list[list[str]] = []
        for root in problem.order:
            if not crit[root] or root in has_tight_in:
                continue
            stack: list[list[int]] = [[root]]
            while stack and len(paths) < MAX_CRITICAL_PATHS:
                path = stack.pop()
                nexts = sorted(set(tight_out.get(path[-1], ())), reverse=True)
                if not nexts:
                    paths.append([problem.ids[i] for i in path])
                stack.extend([*path, nxt] for nxt in nexts)
        return paths

    @cached_property
    def constraint_checks(self) -> list[ConstraintCheck]:
        """Whether each date constraint and deadline written in the plan holds."""
        checks: list[ConstraintCheck] = []
        project = self.problem.project
        default_tl = self.problem.timelines[0]
        for task in project.tasks:
            if not task.constraints and task.deadline is None:
                continue
            row = self.row(task.id)
            leaf_idx = self.problem.index.get(task.id)
            tl = (
                self.problem.timelines[self.problem.calendar_idx[leaf_idx]]
                if leaf_idx is not None
                else default_tl
            )
            start_w = tl.to_work(self.problem.moment_minute(row.start, finish=False))
            finish_w = tl.to_work(self.problem.moment_minute(row.finish, finish=False))
            items = [(c.type.value, c.type, c.on) for c in task.constraints]
            if task.deadline is not None:
                items.append(("deadline", ConstraintType.FINISH_NO_LATER_THAN, task.deadline))
            for kind, ctype, moment in items:
                on = tl.to_work(self.problem.moment_minute(moment, finish=ctype.on_finish))
                checks.append(
                    ConstraintCheck(task.id, kind, moment, _holds(ctype, start_w, finish_w, on))
                )
        return checks


def _holds(ctype: ConstraintType, start_w: int, finish_w: int, on: int) -> bool:
    return {
        ConstraintType.START_NO_EARLIER_THAN: start_w >= on,
        ConstraintType.START_NO_LATER_THAN: start_w <= on,
        ConstraintType.FINISH_NO_EARLIER_THAN: finish_w >= on,
        ConstraintType.FINISH_NO_LATER_THAN: finish_w <= on,
        ConstraintType.MUST_START_ON: start_w == on,
        ConstraintType.MUST_FINISH_ON: finish_w == on,
    }[ctype]
