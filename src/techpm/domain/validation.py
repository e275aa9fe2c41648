"""Rules a plan must satisfy before it can be scheduled; each breach is a Finding with a code."""

from __future__ import annotations

from datetime import datetime

from techpm.domain.backlog_rules import check_backlog
from techpm.domain.calendar import resolve_calendars
from techpm.domain.people_rules import check_people
from techpm.domain.project import Project
from techpm.domain.resource_rules import check_resources
from techpm.domain.risk_rules import check_risks
from techpm.domain.task import Moment
from techpm.domain.validation_types import Finding, duplicate_ids


def validate_project(project: Project) -> list[Finding]:
    findings: list[Finding] = []
    findings += _check_calendars(project)
    findings += _check_tasks(project)
    findings += _check_dependencies(project)
    findings += check_resources(project)
    findings += check_risks(project)
    findings += check_people(project)
    findings += check_backlog(project)
    return findings


def _check_calendars(project: Project) -> list[Finding]:
    found: list[Finding] = []
    specs = project.calendars
    known = set(specs) | {"standard"}
    if project.info.calendar not in known:
        found.append(
            Finding(
                "calendar.not_found",
                f"project calendar {project.info.calendar!r} is not defined under calendars",
                "project",
                "project",
                "calendar",
            )
        )
    for cal_id, spec in specs.items():
        if spec.base is not None and spec.base not in specs:
            found.append(
                Finding(
                    "calendar.not_found",
                    f"base calendar {spec.base!r} of calendar {cal_id!r} is not defined",
                    "calendar",
                    cal_id,
                    "base",
                )
            )
            continue
        seen = [cal_id]
        base = spec.base
        while base is not None and base in specs:
            if base in seen:
                cycle = " -> ".join([*seen, base])
                found.append(
                    Finding(
                        "calendar.base_cycle",
                        f"calendar inheritance loops: {cycle}",
                        "calendar",
                        cal_id,
                        "base",
                    )
                )
                break
            seen.append(base)
            base = specs[base].base
    if not found:
        for cal_id, calendar in resolve_calendars(dict(specs)).items():
            has_days = any(hours for _, hours in calendar.exceptions)
            if not any(calendar.week) and not has_days:
                found.append(
                    Finding(
                        "calendar.no_working_time",
                        f"calendar {cal_id!r} has no working day: give it a workweek",
                        "calendar",
                        cal_id,
                        "workweek",
                    )
                )
    for task in project.tasks:
        if task.calendar is not None and task.calendar not in known:
            found.append(
                Finding(
                    "calendar.not_found",
                    f"calendar {task.calendar!r} of task {task.id!r} is not defined",
                    "task",
                    task.id,
                    "calendar",
                )
            )
    return found


def _check_tasks(project: Project) -> list[Finding]:
    found: list[Finding] = []
    found += duplicate_ids((task.id for task in project.tasks), "task")
    for task in project.tasks:
        summary = project.is_summary(task.id)
        duration = task.duration_minutes
        if task.milestone and summary:
            found.append(
                Finding(
                    "task.milestone_children",
                    f"milestone {task.id!r} cannot have children",
                    "task",
                    task.id,
                    "children",
                )
            )
        elif task.milestone and duration:
            found.append(
                Finding(
                    "task.milestone_duration",
                    f"milestone {task.id!r} has a duration; a milestone takes no time "
                    "(remove `duration` or `milestone: true`)",
                    "task",
                    task.id,
                    "duration",
                )
            )
        elif summary and duration is not None:
            found.append(
                Finding(
                    "task.summary_duration",
                    f"summary task {task.id!r} has a duration; its dates roll up from its "
                    "children, so remove `duration`",
                    "task",
                    task.id,
                    "duration",
                )
            )
        elif not summary and not task.milestone and duration is None and not task.effort_minutes:
            found.append(
                Finding(
                    "task.missing_duration",
                    f"task {task.id!r} needs a duration (such as 3d) or `milestone: true`",
                    "task",
                    task.id,
                    "id",
                )
            )
        if duration is not None and duration < 0:
            found.append(
                Finding(
                    "task.negative_duration",
                    f"task {task.id!r} has a negative duration",
                    "task",
                    task.id,
                    "duration",
                )
            )
        if task.remaining_minutes is not None and task.remaining_minutes < 0:
            found.append(
                Finding(
                    "progress.negative_remaining",
                    f"task {task.id!r} has a negative remaining_duration: work left is 0 or more",
                    "task",
                    task.id,
                    "remaining_duration",
                )
            )
        if task.effort_minutes is not None and task.effort_minutes < 0:
            found.append(
                Finding(
                    "task.negative_effort",
                    f"task {task.id!r} has a negative effort",
                    "task",
                    task.id,
                    "effort",
                )
            )
        if (
            task.actual_start is not None
            and task.actual_finish is not None
            and _as_tuple(task.actual_finish, end=True) < _as_tuple(task.actual_start, end=False)
        ):
            found.append(
                Finding(
                    "progress.finish_before_start",
                    f"task {task.id!r} has an actual finish before its actual start",
                    "task",
                    task.id,
                    "actual_finish",
                )
            )
        if task.actual_finish is not None and task.actual_start is None:
            found.append(
                Finding(
                    "progress.finish_without_start",
                    f"task {task.id!r} has an actual finish but no actual start",
                    "task",
                    task.id,
                    "actual_finish",
                )
            )
    return found


def _check_dependencies(project: Project) -> list[Finding]:
    found: list[Finding] = []
    ids = project.task_by_id
    summaries = project.children
    position: dict[str, int] = {}
    for dep in project.dependencies:
        succ, pred = dep.successor, dep.predecessor
        at = position.get(succ, 0)
        position[succ] = at + 1
        if pred in ids and pred != succ and pred not in summaries and succ not in summaries:
            continue  # the usual link between two leaf tasks: nothing to check
        if pred not in ids:
            message = f"task {succ!r} depends on {pred!r}, which is not a task of this plan"
            found.append(Finding("dependency.unknown_task", message, "task", succ, "after", at))
            continue
        if pred == succ:
            message = f"task {succ!r} depends on itself"
            found.append(Finding("dependency.self", message, "task", succ, "after", at))
            continue
        if (pred in summaries and pred in project.ancestors(succ)) or (
            succ in summaries and succ in project.ancestors(pred)
        ):
            message = (
                f"{succ!r} and {pred!r} are in the same branch of the "
                "WBS; a task cannot depend on its own summary or children"
            )
            found.append(Finding("dependency.summary_ancestor", message, "task", succ, "after", at))
            continue
        if pred in summaries and not dep.type.from_finish:
            message = (
                f"a {dep.type.value} link from the start of summary {pred!r} is "
                "not supported; link from the task in it that starts the work"
            )
            found.append(Finding("dependency.summary_start", message, "task", succ, "after", at))
    return found


def _as_tuple(moment: Moment, *, end: bool) -> tuple[int, ...]:
    """A date as a start means its first minute, as a finish its last."""
    if isinstance(moment, datetime):
        return (moment.year, moment.month, moment.day, moment.hour, moment.minute)
    return (moment.year, moment.month, moment.day, 24 if end else 0, 0)
