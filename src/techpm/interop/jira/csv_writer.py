"""Write a plan as a CSV that Jira's CSV importer takes: one row per task, parents before
their children (the importer needs a parent's row before it can link a child to it),
links and parents by the file's own Issue id, dates in the importer's default format
(dd/MMM/yy h:mm a). Milestones made from fix versions go back to being Fix Version values.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from techpm.domain.project import Project
from techpm.domain.task import Task
from techpm.interop.jira.issues import MONTH_NAMES, PRIORITIES, VERSION_REF
from techpm.scheduling.result import Schedule

SINGLE = [
    "Issue id",
    "Issue key",
    "Parent id",
    "Summary",
    "Issue Type",
    "Status",
    "Priority",
    "Original Estimate",
    "Story Points",
    "Sprint",
    "Assignee",
    "Assignee Id",
    "Due Date",
    "Target start",
    "Target end",
    "Description",
]
REPEATED = ["Labels", "Components", "Fix Version", "Inward issue link (Blocks)"]
# techpm priority -> Jira's name, the first name of each value in the reader's table
_NAMES = {value: name.title() for name, value in reversed(PRIORITIES.items())}


def write_jira_csv(schedule: Schedule, path: Path) -> None:
    """Tasks of `schedule`'s plan with its computed dates as Target start and Target end."""
    project = schedule.problem.project
    rows = {row.id: row for row in schedule.rows}
    versions = {t.id: t.refs[VERSION_REF] for t in project.tasks if VERSION_REF in t.refs}
    depth = {t.id: sum(1 for _ in project.ancestors(t.id)) for t in project.tasks}
    # the importer wants each level of the hierarchy before the next (stable within a level)
    tasks = sorted((t for t in project.tasks if t.id not in versions), key=lambda t: depth[t.id])
    number = {t.id: str(n) for n, t in enumerate(tasks, start=1)}
    before: dict[str, list[str]] = {}
    released: dict[str, list[str]] = {}
    for dep in project.dependencies:
        if dep.successor in versions and dep.predecessor in number:
            released.setdefault(dep.predecessor, []).append(versions[dep.successor])
        elif dep.predecessor in number and dep.successor in number:
            before.setdefault(dep.successor, []).append(number[dep.predecessor])
    records = []
    for task in tasks:
        record = _single(task, project, depth[task.id], number)
        row = rows.get(task.id)
        if row is not None:
            record["Target start"] = jira_date(row.start)
            record["Target end"] = jira_date(row.finish)
        labels = [t for t in task.tags if not t.startswith("component:")]
        repeated = {
            "Labels": ["_".join(label.split()) for label in labels],
            "Components": [t.removeprefix("component:") for t in task.tags if t not in labels],
            "Fix Version": released.get(task.id, []),
            "Inward issue link (Blocks)": before.get(task.id, []),
        }
        records.append((record, repeated))
    widths = {name: max([1, *(len(r[name]) for _, r in records)]) for name in REPEATED}
    header = SINGLE + [name for name in REPEATED for _ in range(widths[name])]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for record, repeated in records:
            cells = [record.get(name, "") for name in SINGLE]
            for name in REPEATED:
                values = repeated[name]
                cells += values + [""] * (widths[name] - len(values))
            writer.writerow(cells)


def _single(task: Task, project: Project, depth: int, number: dict[str, str]) -> dict[str, str]:
    summary = project.is_summary(task.id)
    record = {
        "Issue id": number[task.id],
        "Issue key": task.refs.get("jira", task.id),
        "Parent id": number.get(task.parent, "") if task.parent else "",
        "Summary": task.name,
        "Issue Type": task.issue_type or _issue_type(task, summary, depth),
        "Status": task.status or _status(task),
        "Priority": _priority(task.priority),
        "Sprint": task.sprint or "",
        "Description": task.notes or "",
    }
    if not summary and not task.milestone and task.duration_minutes is not None:
        record["Original Estimate"] = str(task.duration_minutes * 60)
    if task.points is not None:
        record["Story Points"] = f"{task.points:g}"
    if task.deadline is not None:
        record["Due Date"] = jira_date(task.deadline)
    resources = project.resource_by_id
    assigned = [resources[a.resource] for a in task.assignments if a.resource in resources]
    if assigned:
        record["Assignee"] = assigned[0].name
        record["Assignee Id"] = assigned[0].refs.get("jira", assigned[0].id)
    elif task.owner and (summary or task.milestone):
        record["Assignee"] = task.owner  # how the reader keeps an epic's assignee
    return record


def _issue_type(task: Task, summary: bool, depth: int) -> str:
    """Jira's three levels: epics hold stories and tasks, which hold sub-tasks."""
    if task.milestone:
        return "Milestone"
    if depth == 0:
        return "Epic" if summary else "Task"
    if depth == 1:
        return "Story" if summary else "Task"
    return "Sub-task"


def _status(task: Task) -> str:
    if task.actual_finish is not None or task.percent_complete >= 100:
        return "Done"
    if task.actual_start is not None or task.percent_complete > 0:
        return "In Progress"
    return ""  # Jira's importer puts it in the workflow's first status


def _priority(value: int) -> str:
    """The nearest of Jira's five default priorities."""
    return _NAMES[min(_NAMES, key=lambda p: (abs(p - value), p))]


def jira_date(moment: date | datetime) -> str:
    """The CSV importer's default date format, dd/MMM/yy h:mm a, in English month names."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    month = MONTH_NAMES[moment.month - 1]
    return f"{moment.day:02d}/{month}/{moment.year % 100:02d} {hour}:{moment.minute:02d} {half}"
