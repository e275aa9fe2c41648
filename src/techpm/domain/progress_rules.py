"""Progress that contradicts itself: warnings that name the task and say how it is read.

These numbers can still be used, so they are not errors (an actual finish before the actual
start, or a finish without a start, are: see validation.py). Each warning says which reading
techpm takes, so that nobody presents a figure without knowing where it came from.
"""

from __future__ import annotations

from datetime import date, datetime

from techpm.domain.errors import Diagnostic, Severity
from techpm.domain.project import Project
from techpm.domain.task import Moment, Task


def progress_warnings(project: Project) -> list[Diagnostic]:
    status = project.info.status_date
    found: list[Diagnostic] = sprint_labels(project)
    for task in project.tasks:
        if (
            task.actual_start is None
            and task.actual_finish is None
            and not task.percent_complete
            and task.remaining_minutes is None
        ):
            continue  # nothing recorded: nothing to contradict
        if project.is_summary(task.id):
            found.append(_on_summary(project, task))
            continue
        found += _task_warnings(task, status)
    return found


def _on_summary(project: Project, task: Task) -> Diagnostic:
    """A summary's dates and percent roll up from its tasks: what is recorded on it is not
    used by the schedule nor by earned value, so say so rather than drop it quietly."""
    leaves = list(project.leaves_under(task.id))
    shown = ", ".join(leaves[:5]) + (" ..." if len(leaves) > 5 else "")
    return Diagnostic(
        "progress.on_summary",
        Severity.WARNING,
        f"summary task {task.id!r} has progress recorded on it: a summary's dates and "
        f"percent roll up from its tasks, so it is not used; record it on its tasks ({shown})",
        (task.id,),
    )


def _task_warnings(task: Task, status: date | None) -> list[Diagnostic]:
    found: list[Diagnostic] = []

    def warn(code: str, message: str) -> None:
        found.append(Diagnostic(code, Severity.WARNING, message, (task.id,)))

    pct = f"{task.percent_complete:g} %"
    if task.actual_start is None and task.percent_complete > 0:
        reading = (
            "it keeps its planned dates, as if done as planned"
            if task.percent_complete >= 100
            else "it is scheduled as not started"
            + (" (its work from the status date on)" if status is not None else "")
            + f", while earned value counts its {pct}"
        )
        warn(
            "progress.percent_without_start",
            f"task {task.id!r} is {pct} complete but has no actual_start: {reading}; "
            "give its actual_start",
        )
    if status is not None:
        for key, moment in (
            ("actual_start", task.actual_start),
            ("actual_finish", task.actual_finish),
        ):
            if moment is not None and _day(moment) > status:
                code = (
                    "progress.start_after_status"
                    if key == "actual_start"
                    else ("progress.finish_after_status")
                )
                warn(
                    code,
                    f"task {task.id!r} has {key} {moment}, after the status date {status}: "
                    "progress records what happened by the status date; move the status date "
                    f"or correct {key}",
                )
    if task.actual_finish is not None and 0 < task.percent_complete < 100:
        warn(
            "progress.finish_not_complete",
            f"task {task.id!r} has an actual_finish but is {pct} complete: it is taken as "
            "finished (100 %); correct percent_complete or remove actual_finish",
        )
    finished = task.actual_finish is not None or task.percent_complete >= 100
    if finished and task.remaining_minutes:
        warn(
            "progress.remaining_when_finished",
            f"task {task.id!r} is finished but has a remaining_duration: the remaining work "
            "is ignored; remove remaining_duration or the finish",
        )
    return found


def _day(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def sprint_labels(project: Project) -> list[Diagnostic]:
    """Sprints named by tasks in a plan that declares none (as imported from Jira, which
    gives no dates for them): kept as labels, and said, since sprint planning cannot use them."""
    if project.sprints:
        return []  # declared sprints: an unknown one is an error (backlog_rules)
    named = sorted({t.sprint for t in project.tasks if t.sprint is not None})
    if not named:
        return []
    tasks = tuple(t.id for t in project.tasks if t.sprint is not None)
    shown = ", ".join(repr(n) for n in named[:5]) + (" ..." if len(named) > 5 else "")
    return [
        Diagnostic(
            "sprint.undeclared",
            Severity.WARNING,
            f"tasks name sprints ({shown}) but the plan declares no `sprints`: they are kept "
            "as labels; declare them with their dates to plan and measure sprints",
            tasks,
        )
    ]
