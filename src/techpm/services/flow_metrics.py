"""Flow metrics of a plan's backlog, optionally with the history of a Jira export.

The plan gives the workflow, the sprints and its own items; a Jira export (`--history`)
adds what the tracker knows. An issue of the export replaces the plan task it matches
(same `refs.jira`, else same id) in its status, history, points and sprint; issues the plan
does not have are added. A Jira sprint named like a plan sprint (by id or name) is that
sprint.

A JSON search result with its changelog carries the full history. A CSV export has only
the created and resolved dates: an issue in the workflow's first state is created then, a
done issue with a resolved date finished then; other issues keep only their current state
(no times), so cycle time, cumulative flow and work-item age need the JSON export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from techpm.domain.errors import Diagnostic, InvalidPlanError, Severity
from techpm.domain.project import Project
from techpm.domain.task import StatusChange, Task
from techpm.domain.workflow import Workflow
from techpm.flow.history import (
    StateNames,
    end_of,
    is_backlog_item,
    item_histories,
)
from techpm.flow.metrics import FlowMetrics, flow_metrics
from techpm.flow.states import utc_naive
from techpm.interop.exchange import ImportFailed, ImportResult
from techpm.interop.jira import csv_reader
from techpm.interop.jira.csv_reader import read_jira_csv
from techpm.interop.jira.json_reader import read_jira_json
from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.loader import load_plan_document
from techpm.reporting.flow_charts import write_flow_charts
from techpm.services.exchange import plan_yaml
from techpm.services.planning import load_plan


@dataclass(frozen=True)
class FlowReport:
    metrics: FlowMetrics
    diagnostics: tuple[Diagnostic, ...]
    charts: tuple[Path, ...]


def plan_flow_metrics(
    plan: str | Path,
    *,
    history: Path | None = None,
    as_of: date | None = None,
    charts: Path | None = None,
    today: date | None = None,
) -> FlowReport:
    """As of `as_of`, else the plan's status date, else the day of the latest history
    entry, else `today` (the clock's, when not given)."""
    project = load_plan(plan)
    tasks = backlog_tasks(project)
    if history is not None:
        tasks = merge_history(project, tasks, read_history(history, project))
    workflow = project.workflow or Workflow()
    day = as_of or project.info.status_date or _latest_day(tasks) or today or date.today()
    items = item_histories(tasks, workflow, end_of(day))
    metrics = flow_metrics(items, workflow, project.sprints, day)
    written = write_flow_charts(metrics, charts) if charts is not None else []
    return FlowReport(metrics, _diagnostics(metrics), tuple(written))


def backlog_tasks(project: Project) -> tuple[Task, ...]:
    return tuple(task for task in project.tasks if is_backlog_item(project, task))


def _latest_day(tasks: Sequence[Task]) -> date | None:
    moments = [utc_naive(change.at) for task in tasks for change in task.history]
    return max(moments).date() if moments else None


def read_history(path: Path, project: Project) -> tuple[Task, ...]:
    """The leaf issues of a Jira export (JSON when named .json, else CSV) as tasks."""
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file", code="import.not_found")
    is_json = path.suffix.lower() == ".json"
    result = read_jira_json(path) if is_json else read_jira_csv(path)
    loaded = _load(path, result)
    leaves = [t for t in loaded.tasks if not t.milestone and not loaded.is_summary(t.id)]
    if is_json:
        return tuple(leaves)
    return tuple(_with_dates(leaves, _csv_dates(path), project.workflow or Workflow()))


def _load(path: Path, result: ImportResult) -> Project:
    text = plan_yaml(result.document, f"Converted from {path.name}.")
    try:
        return load_plan_document(YamlDocument(f"{path.name} (converted)", text)).project
    except InvalidPlanError as exc:
        shown = "; ".join(str(p) for p in exc.problems[:5])
        raise ImportFailed(
            f"{path.name}: the issues do not make a valid plan: {shown}",
            code="import.invalid_plan",
        ) from None


def _csv_dates(path: Path) -> dict[str, tuple[datetime | None, datetime | None]]:
    """Created and resolved of each issue by key (`issue-N` for the N-th without one)."""
    rows = csv_reader._rows(path, csv_reader._decode(path))
    columns = csv_reader._Columns(rows[0][1])
    found: dict[str, tuple[datetime | None, datetime | None]] = {}
    position = 0
    for line, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        position += 1
        row = csv_reader._Row(path, line, cells, columns)
        key = row.one("key") or f"issue-{position}"
        found[key] = (_moment(row.date("created")), _moment(row.date("resolved")))
    return found


def _moment(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def _with_dates(
    tasks: Sequence[Task],
    dates: dict[str, tuple[datetime | None, datetime | None]],
    workflow: Workflow,
) -> list[Task]:
    """A CSV issue's history from its created and resolved dates, where they say it all."""
    names = StateNames(workflow)
    first = workflow.states[0]
    out = []
    for task in tasks:
        created, resolved = dates.get(task.refs.get("jira", task.id), (None, None))
        state = names(task.status) if task.status else None
        history: tuple[StatusChange, ...] = ()
        if created is not None and task.status is not None:
            if state == first:
                history = (StatusChange(created, task.status),)
            elif state in workflow.done_states and resolved is not None and resolved >= created:
                history = (StatusChange(created, first), StatusChange(resolved, task.status, first))
        out.append(replace(task, history=history) if history else task)
    return out


def merge_history(
    project: Project, tasks: Sequence[Task], issues: Sequence[Task]
) -> tuple[Task, ...]:
    """The plan's items with what the tracker says about them, then the tracker's others."""
    sprint_ids = {s.id: s.id for s in project.sprints}
    sprint_ids.update({s.name: s.id for s in project.sprints})
    by_ref = {issue.refs["jira"]: issue for issue in issues if "jira" in issue.refs}
    by_id = {issue.id: issue for issue in issues}
    plan_tasks = list(tasks)
    known = {t.id for t in tasks}
    for task in project.tasks:  # plan leaves the issues name, though not backlog items yet
        if task.id not in known and not project.is_summary(task.id) and not task.milestone:
            ref = task.refs.get("jira")
            if (ref is not None and ref in by_ref) or task.id in by_id:
                plan_tasks.append(task)
    used: set[str] = set()
    merged = []
    for task in plan_tasks:
        ref = task.refs.get("jira")
        issue = by_ref.get(ref) if ref is not None else None
        issue = issue or by_id.get(task.id)
        if issue is None:
            merged.append(task)
            continue
        used.add(issue.id)
        merged.append(_take(task, issue, sprint_ids))
    for issue in issues:
        if issue.id not in used:
            merged.append(_take(issue, issue, sprint_ids))
    return tuple(merged)


def _take(task: Task, issue: Task, sprint_ids: dict[str, str]) -> Task:
    sprint = issue.sprint if issue.sprint is not None else task.sprint
    return replace(
        task,
        status=issue.status if issue.status is not None else task.status,
        history=issue.history or task.history,
        points=issue.points if issue.points is not None else task.points,
        sprint=sprint_ids.get(sprint, sprint) if sprint is not None else None,
    )


def _diagnostics(metrics: FlowMetrics) -> tuple[Diagnostic, ...]:
    items = metrics.items
    found = []
    unknown = list(dict.fromkeys(s for item in items for s in item.unknown_states))
    if unknown:
        found.append(
            Diagnostic(
                "flow.unknown_state",
                Severity.WARNING,
                "states the workflow does not have count as neither started nor done; "
                f"name them in the plan's `workflow` ({', '.join(metrics.workflow.states)})",
                tuple(unknown),
            )
        )
    bare = tuple(i.id for i in items if not i.entries and i.state is not None)
    if bare:
        found.append(
            Diagnostic(
                "flow.no_history",
                Severity.INFO,
                "items without a status history: only their current state and the plan's "
                "actual dates are known; the cumulative flow counts them from its first day, "
                "in the workflow's first state until their actual start (else in their "
                "current state)",
                bare,
            )
        )
    unstarted = tuple(i.id for i in items if i.finished_at is not None and i.started_at is None)
    if unstarted:
        found.append(
            Diagnostic(
                "flow.finished_without_start",
                Severity.INFO,
                "finished without entering a started state: no cycle time",
                unstarted,
            )
        )
    return tuple(found)
