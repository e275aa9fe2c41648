"""Tasks as plan-file mappings, and the tree and cycle helpers the task-list formats share."""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from techpm.domain.dependency import Dependency, DependencyType
from techpm.domain.project import Project
from techpm.domain.resource import effort_duration
from techpm.domain.task import Task
from techpm.domain.units import DurationUnits, format_duration
from techpm.interop.planfile.dump.values import (
    estimate_entry,
    maybe_duration,
    maybe_moment,
    moment_text,
    money_number,
    plain_number,
)

_TASK_DEFAULTS = {"milestone": False, "percent_complete": 0, "priority": 500, "accrue": "prorated"}


def task_entries(project: Project, *, compact: bool = True) -> list[tuple[Task, dict[str, Any]]]:
    """Each task's plan-file mapping without `children`, in WBS order; `compact` leaves out
    what the plan file would default. Each mapping is the caller's to change; the lists
    inside it are shared, so replace them rather than change them in place."""
    return [
        (task, compact_task(entry) if compact else dict(entry))
        for task, entry in _full_entries(project)
    ]


def task_entry(project: Project, task_id: str) -> tuple[Task, dict[str, Any]] | None:
    """One task's compact mapping, without making the others' (their full forms are kept)."""
    for task, entry in _full_entries(project):
        if task.id == task_id:
            return task, compact_task(entry)
    return None


_MADE: dict[int, list[tuple[Task, dict[str, Any]]]] = {}  # by id() of a live Project


def _full_entries(project: Project) -> list[tuple[Task, dict[str, Any]]]:
    """Made once per Project (plans are immutable): a write diffs, stores and shows the same
    1,000-task plan several times over."""
    found = _MADE.get(id(project))
    if found is not None:
        return found
    links: dict[str, list[Dependency]] = {}
    for dep in project.dependencies:
        links.setdefault(dep.successor, []).append(dep)
    made = [
        (task, _task_entry(task, links.get(task.id, []), project.units)) for task in project.tasks
    ]
    _MADE[id(project)] = made
    weakref.finalize(project, _MADE.pop, id(project), None)
    return made


def compact_task(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in entry.items()
        if value is not None and value != [] and value != {} and _TASK_DEFAULTS.get(key) != value
    }


def _task_entry(task: Task, links: Sequence[Dependency], units: DurationUnits) -> dict[str, Any]:
    duration = task.duration_minutes
    if duration is not None and duration == _implied_duration(task):
        duration = None  # written as an estimate or an effort: keep it that way
    constraints = [
        {"type": c.type.value, "date": moment_text(c.on)} for c in task.constraints if not c.gate
    ]
    return {
        "id": task.id,
        "name": task.name,
        "duration": maybe_duration(duration, units),
        "milestone": task.milestone,
        "after": [_link(dep, units) for dep in links],
        "constraint": constraints[0] if len(constraints) == 1 else constraints or None,
        "deadline": maybe_moment(task.deadline),
        "calendar": task.calendar,
        "actual_start": maybe_moment(task.actual_start),
        "actual_finish": maybe_moment(task.actual_finish),
        "percent_complete": plain_number(task.percent_complete),
        "remaining_duration": maybe_duration(task.remaining_minutes, units),
        "priority": task.priority,
        "owner": task.owner,
        "tags": list(task.tags),
        "notes": task.notes,
        "assign": [
            {"resource": a.resource, "units": plain_number(a.units)} for a in task.assignments
        ],
        "needs": [
            {"skill": n.skill, "level": n.level, "count": n.count, "units": plain_number(n.units)}
            for n in task.needs
        ],
        "effort": maybe_duration(task.effort_minutes, units),
        "estimate": estimate_entry(task.estimate, units) if task.estimate else None,
        "fixed_cost": money_number(task.fixed_cost),
        "accrue": task.accrue.value,
        "cost_account": task.cost_account,
        "actual_cost": money_number(task.actual_cost),
        "needs_items": list(task.needs_items),
        "control_account": task.control_account,
        "refs": dict(task.refs),
        "issue_type": task.issue_type,
        "points": task.points,
        "status": task.status,
        "sprint": task.sprint,
        "history": [
            {"at": h.at.isoformat(), "to": h.to, **({"from": h.from_} if h.from_ else {})}
            for h in task.history
        ],
    }


def _implied_duration(task: Task) -> int | None:
    """The duration the plan loader derives when none is written."""
    if task.estimate is not None:
        return round(task.estimate.likely)
    if task.effort_minutes is not None:
        return effort_duration(task.effort_minutes, task.assignments, task.needs)
    return None


def _link(dep: Dependency, units: DurationUnits) -> str | dict[str, Any]:
    if dep.type is DependencyType.FS and dep.lag_minutes == 0:
        return dep.predecessor
    link: dict[str, Any] = {"task": dep.predecessor, "type": dep.type.value}
    if dep.lag_minutes:
        link["lag"] = format_duration(dep.lag_minutes, units)
    return link


# ---- tree and cycle helpers shared with the task-list formats ---------------------------


def nest(entries: Sequence[Mapping[str, Any]], parents: Sequence[str | None]) -> list[Any]:
    """Flat task mappings and their parents' ids to the plan file's `children` tree."""
    nodes = {entry["id"]: dict(entry) for entry in entries}
    roots: list[Any] = []
    for entry, parent in zip(entries, parents, strict=True):
        node = nodes[entry["id"]]
        if parent is None:
            roots.append(node)
        else:
            nodes[parent].setdefault("children", []).append(node)
    return roots


def find_cycle(links: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A loop in `node -> nodes it depends on`, as a path from a node back to itself."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for root in links:
        if state.get(root):
            continue
        path = [root]
        stack = [iter(links.get(root, ()))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(links.get(nxt, ())))
    return None
