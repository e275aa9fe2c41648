"""Scheduled tasks to MSPDI Task elements, in the schema's element order: outline, dates
from the schedule, duration, milestone, links, constraint, deadline, progress, baseline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element

from techpm.domain.calendar import Calendar
from techpm.domain.dependency import Dependency
from techpm.domain.task import Accrual, ConstraintType, Moment, Task
from techpm.interop.msproject.carried_out import CarriedOut, write_values
from techpm.interop.msproject.durations import FORMAT_DAYS, FORMAT_HOURS, iso_duration
from techpm.interop.msproject.xml_out import add
from techpm.scheduling.result import Schedule, TaskSchedule

CONSTRAINT_CODES = {
    ConstraintType.MUST_START_ON: 2,
    ConstraintType.MUST_FINISH_ON: 3,
    ConstraintType.START_NO_EARLIER_THAN: 4,
    ConstraintType.START_NO_LATER_THAN: 5,
    ConstraintType.FINISH_NO_EARLIER_THAN: 6,
    ConstraintType.FINISH_NO_LATER_THAN: 7,
}
LINK_CODES = {"FF": 0, "FS": 1, "SF": 2, "SS": 3}
ACCRUAL_CODES = {Accrual.START: 1, Accrual.PRORATED: 2, Accrual.END: 3}


@dataclass(frozen=True)
class TaskContext:
    schedule: Schedule
    uids: dict[str, int]
    calendar_uids: dict[str, int]
    calendars: dict[str, Calendar]  # resolved
    task_calendar: dict[str, str]  # task id -> the calendar it runs on
    baseline: dict[str, Any] | None
    work_minutes: dict[str, int]  # leaf id -> booked work
    carried: CarriedOut | None = None  # what MSPDI has no field for

    @property
    def minutes_per_day(self) -> int:
        return self.schedule.problem.minutes_per_day


def write_tasks(parent: Element, ctx: TaskContext, name: str) -> None:
    tasks = add(parent, "Tasks")
    _project_summary(tasks, ctx, name)
    project = ctx.schedule.problem.project
    links: dict[str, list[Dependency]] = defaultdict(list)
    for dep in project.dependencies:
        links[dep.successor].append(dep)
    for position, row in enumerate(ctx.schedule.rows, start=1):
        task = project.task_by_id[row.id]
        _task(tasks, ctx, position, row, task, links.get(row.id, []))


def _project_summary(tasks: Element, ctx: TaskContext, name: str) -> None:
    schedule = ctx.schedule
    element = add(tasks, "Task")
    add(element, "UID", 0)
    add(element, "ID", 0)
    add(element, "Name", name)
    add(element, "Type", 1)
    add(element, "IsNull", False)
    add(element, "WBS", 0)
    add(element, "OutlineNumber", 0)
    add(element, "OutlineLevel", 0)
    add(element, "Start", schedule.start)
    add(element, "Finish", schedule.finish)
    timeline = schedule.problem.timelines[0]
    worked = timeline.to_work(schedule.finish_minute) - timeline.to_work(
        schedule.problem.moment_minute(schedule.start, finish=False)
    )
    add(element, "Duration", iso_duration(max(0, worked)))
    add(element, "DurationFormat", FORMAT_DAYS)
    add(element, "Milestone", False)
    add(element, "Summary", True)
    if ctx.carried is not None:
        write_values(element, "task", None, ctx.carried.project)
    if ctx.baseline is not None:
        saved = ctx.baseline.get("project", {})
        if "start" in saved and "finish" in saved:
            base = add(element, "Baseline")
            add(base, "Number", 0)
            add(base, "Start", datetime.fromisoformat(saved["start"]))
            add(base, "Finish", datetime.fromisoformat(saved["finish"]))
            add(base, "Cost", Decimal(str(saved.get("bac", "0"))))


def _task(
    tasks: Element,
    ctx: TaskContext,
    position: int,
    row: TaskSchedule,
    task: Task,
    links: list[Dependency],
) -> None:
    per_day = ctx.minutes_per_day
    leaf = not row.summary
    element = add(tasks, "Task")
    add(element, "UID", ctx.uids[task.id])
    add(element, "ID", position)
    add(element, "Name", task.name)
    if "inactive" in task.tags:
        add(element, "Active", False)  # Project 2010's schema; MS Project 2007 ignores it
    add(element, "Type", 1)  # fixed duration: techpm keeps a duration whoever is assigned
    add(element, "IsNull", False)
    if task.owner:
        add(element, "Contact", task.owner)
    add(element, "WBS", row.wbs)
    add(element, "OutlineNumber", row.wbs)
    add(element, "OutlineLevel", row.level + 1)
    add(element, "Priority", task.priority)
    add(element, "Start", row.start)
    add(element, "Finish", row.finish)
    duration = row.duration_minutes if row.summary else (task.duration_minutes or 0)
    if row.milestone and leaf:
        duration = 0
    add(element, "Duration", iso_duration(duration))
    add(element, "DurationFormat", FORMAT_DAYS if duration % per_day == 0 else FORMAT_HOURS)
    if leaf and task.id in ctx.work_minutes:
        add(element, "Work", iso_duration(ctx.work_minutes[task.id]))
    add(element, "EffortDriven", False)
    add(element, "Estimated", False)
    add(element, "Milestone", bool(task.milestone))
    add(element, "Summary", row.summary)
    add(element, "Critical", row.critical)
    add(element, "EarlyStart", row.start)
    add(element, "EarlyFinish", row.finish)
    add(element, "LateStart", row.late_start)
    add(element, "LateFinish", row.late_finish)
    add(element, "FreeSlack", row.free_float_minutes * 10)
    add(element, "TotalSlack", row.total_float_minutes * 10)
    if task.fixed_cost:
        add(element, "FixedCost", task.fixed_cost)
        add(element, "FixedCostAccrual", ACCRUAL_CODES[task.accrue])
    add(element, "PercentComplete", round(task.percent_complete) if leaf else 0)
    if leaf:
        _progress(element, ctx, row, task)
    constraint = task.constraints[0] if task.constraints else None
    add(element, "ConstraintType", CONSTRAINT_CODES[constraint.type] if constraint else 0)
    add(element, "CalendarUID", _calendar_uid(ctx, task, leaf))
    if constraint is not None:
        finish = constraint.type.on_finish
        add(element, "ConstraintDate", _moment(ctx, task, constraint.on, finish=finish))
    if task.deadline is not None:
        add(element, "Deadline", _moment(ctx, task, task.deadline, finish=True))
    if task.notes:
        add(element, "Notes", task.notes)
    for dep in links:
        link = add(element, "PredecessorLink")
        add(link, "PredecessorUID", ctx.uids[dep.predecessor])
        add(link, "Type", LINK_CODES[dep.type.value])
        add(link, "CrossProject", False)
        add(link, "LinkLag", dep.lag_minutes * 10)
        add(link, "LagFormat", FORMAT_DAYS if dep.lag_minutes % per_day == 0 else FORMAT_HOURS)
    if ctx.carried is not None:
        write_values(element, "task", task.id, ctx.carried.tasks.get(task.id, {}))
    if ctx.baseline is not None:
        _baseline(element, ctx, task)


def _calendar_uid(ctx: TaskContext, task: Task, leaf: bool) -> int:
    """A task's own calendar, or for a leaf the one it inherits from its summaries: MS
    Project passes no calendar down the outline."""
    if not leaf:
        return -1
    project_calendar = ctx.schedule.problem.project.info.calendar
    runs_on = ctx.task_calendar.get(task.id, project_calendar)
    if task.calendar is None and runs_on == project_calendar:
        return -1
    return ctx.calendar_uids[runs_on]


def _progress(element: Element, ctx: TaskContext, row: TaskSchedule, task: Task) -> None:
    if task.actual_start is not None:
        start = task.actual_start
        add(element, "ActualStart", start if isinstance(start, datetime) else row.start)
    if task.actual_finish is not None:
        finish = task.actual_finish
        add(element, "ActualFinish", finish if isinstance(finish, datetime) else row.finish)
    if task.actual_cost:
        add(element, "ActualCost", task.actual_cost)
    if task.actual_start is not None and task.actual_finish is None:
        duration = task.duration_minutes or 0
        left = task.remaining_minutes
        if left is None:
            left = round(duration * (1 - task.percent_complete / 100))
        add(element, "RemainingDuration", iso_duration(left))


def _moment(ctx: TaskContext, task: Task, moment: Moment, *, finish: bool) -> datetime:
    """A plan date as MS Project's date and time: a start at midnight, a finish at the end
    of that day's work on the task's calendar."""
    if isinstance(moment, datetime):
        return moment
    if not finish:
        return datetime.combine(moment, time())
    calendar = ctx.calendars.get(ctx.task_calendar.get(task.id, ""))
    spans = calendar.exception_map().get(moment) if calendar else None
    if spans is None and calendar is not None:
        spans = calendar.week[moment.weekday()]
    end = spans[-1][1] if spans else 24 * 60
    if end >= 24 * 60:
        return datetime.combine(moment, time(23, 59))
    return datetime.combine(moment, time(end // 60, end % 60))


def _baseline(element: Element, ctx: TaskContext, task: Task) -> None:
    assert ctx.baseline is not None
    saved = ctx.baseline.get("tasks", {}).get(task.id)
    if not saved:
        return
    base = add(element, "Baseline")
    add(base, "Number", 0)
    add(base, "Start", datetime.fromisoformat(saved["start"]))
    add(base, "Finish", datetime.fromisoformat(saved["finish"]))
    duration = round(float(saved.get("duration_days", 0)) * ctx.minutes_per_day)
    add(base, "Duration", iso_duration(duration))
    add(base, "DurationFormat", FORMAT_DAYS)
    add(base, "Work", iso_duration(round(float(saved.get("work_hours", 0)) * 60)))
    add(base, "Cost", Decimal(str(saved.get("cost", "0"))))
