"""Tasks, and the backlog items among them (tasks with a workflow status or an issue type):
the WBS tree kept in order when a task is added, moved under another parent or removed."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from techpm.domain.errors import Problem
from techpm.domain.project import Project
from techpm.interop.planfile.dump import task_entry
from techpm.services.collections.base import (
    Collection,
    Entry,
    Filters,
    merge,
    model_fields,
    same_id,
    writable,
)
from techpm.services.collections.checks import entry_problems, field_problem, refuse
from techpm.services.collections.edit import PlanEdit
from techpm.services.collections.errors import EntityExistsError, EntityNotFoundError, FieldError

# what a task's schedule adds to it when asked (`?include=schedule`), to filter and sort by
SCHEDULE_KEYS = (
    "wbs",
    "summary",
    "start",
    "finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "critical",
)


def _assignees(entry: Entry) -> list[str]:
    return [str(a.get("resource")) for a in entry.get("assign") or [] if isinstance(a, dict)]


def _predecessors(entry: Entry) -> list[str]:
    return [
        link if isinstance(link, str) else link.get("task") for link in entry.get("after") or []
    ]


class Tasks(Collection):
    name = "tasks"
    entity = "task"
    prefix = "T"
    filters: ClassVar[Filters] = {
        "assignee": _assignees,
        "after": _predecessors,
    }

    def entries(self, edit: PlanEdit) -> list[Entry]:
        return edit.tasks

    def fields(self) -> frozenset[str]:
        return (model_fields("tasks") - {"children"}) | {"parent", *self.filters, *SCHEDULE_KEYS}

    def where(self, edit: PlanEdit, key: str) -> str:
        return f"tasks[{key}]"

    def shown(self, project: Project, key: str) -> Entry:
        found = task_entry(project, key)
        if found is None:
            raise EntityNotFoundError(self.entity, key)
        task, entry = found
        return {**entry, "parent": task.parent}

    def create(self, edit: PlanEdit, body: Entry, now: datetime) -> str:
        return self._create(edit, body, [])

    def _create(self, edit: PlanEdit, body: Entry, problems: list[Problem]) -> str:
        entry = writable(body)
        key = entry.get("id") or self.new_id(t["id"] for t in edit.tasks)
        parent = entry.pop("parent", None)
        entry["id"] = key
        refuse(
            [
                *problems,
                *_parent_problems(parent),
                *entry_problems(edit.parts, "tasks", entry, "body"),
            ]
        )
        key = str(key)
        if edit.task(key) is not None:
            raise EntityExistsError(self.entity, key)
        self._known_parent(edit, parent)
        _place(edit, [{**entry, "parent": parent}], parent)
        return key

    def update(self, edit: PlanEdit, key: str, patch: Entry, now: datetime) -> None:
        entry = self.find(edit, key)
        candidate = {k: v for k, v in entry.items() if k != "parent"}
        merge(candidate, {k: v for k, v in patch.items() if k != "parent"})
        parent = patch.get("parent", entry["parent"])
        refuse([*_parent_problems(parent), *entry_problems(edit.parts, "tasks", candidate, "body")])
        same_id(entry, patch)
        changes = dict(patch)
        if "status" in changes and "history" not in changes:
            _record_status(entry, changes.get("status"), now)
        if "parent" in changes:
            parent = changes.pop("parent")
            if parent != entry["parent"]:
                self._move(edit, key, parent)
        merge(entry, changes)

    def delete(self, edit: PlanEdit, key: str) -> None:
        self.find(edit, key)
        gone = edit.descendants(key)
        edit.tasks[:] = [t for t in edit.tasks if t["id"] not in gone]
        for entry in edit.tasks:  # links into the removed tasks go with them
            links = entry.get("after")
            if links:
                entry["after"] = [link for link in links if _link_task(link) not in gone]

    def _known_parent(self, edit: PlanEdit, parent: Any) -> None:
        if parent is not None and edit.task(str(parent)) is None:
            raise FieldError(
                "parent", f"no task {parent!r} to put it under", code="task.unknown_parent"
            )

    def _move(self, edit: PlanEdit, key: str, parent: Any) -> None:
        self._known_parent(edit, parent)
        subtree = edit.descendants(key)
        if parent in subtree:
            raise FieldError(
                "parent",
                "a task cannot go under itself or its own subtask",
                code="task.parent_cycle",
            )
        moved = [t for t in edit.tasks if t["id"] in subtree]
        edit.tasks[:] = [t for t in edit.tasks if t["id"] not in subtree]
        moved[0]["parent"] = parent
        _place(edit, moved, parent)


class Items(Tasks):
    """Backlog items: the tasks a board shows. A new one starts in the workflow's first state."""

    name = "items"

    def entries(self, edit: PlanEdit) -> list[Entry]:
        return [t for t in edit.tasks if t.get("status") is not None or t.get("issue_type")]

    def create(self, edit: PlanEdit, body: Entry, now: datetime) -> str:
        body = dict(body)
        flow = edit.parts.get("workflow")
        if body.get("status") is None and flow and flow.get("states"):
            body["status"] = flow["states"][0]
        problems = []
        if body.get("status") is None and not body.get("issue_type"):
            problems.append(
                field_problem("status", "an item has a status (or an issue type)", "item.no_status")
            )
        return self._create(edit, body, problems)

    def find(self, edit: PlanEdit, key: str) -> Entry:
        found = edit.task(key)
        if found is None or found not in self.entries(edit):
            raise EntityNotFoundError("item", key)
        return found


def _parent_problems(parent: Any) -> list[Problem]:
    if parent is None or (isinstance(parent, str) and parent):
        return []
    return [field_problem("parent", "the id of a summary task, or null")]


def _link_task(link: Any) -> Any:
    return link if isinstance(link, str) else link.get("task") if isinstance(link, dict) else None


def _record_status(entry: Entry, status: Any, now: datetime) -> None:
    """A status change joins the item's status history, as a board move does in Jira."""
    old = entry.get("status")
    if status is None or status == old:
        return
    step: Entry = {"at": now.replace(microsecond=0).isoformat(), "to": status}
    if old is not None:
        step["from"] = old
    entry["history"] = [*(entry.get("history") or []), step]


def _place(edit: PlanEdit, entries: list[Entry], parent: Any) -> None:
    """Insert `entries` (a task and its subtree) as the last child of `parent`, or last."""
    if parent is None:
        edit.tasks.extend(entries)
        return
    under = edit.descendants(str(parent))
    last = max(i for i, t in enumerate(edit.tasks) if t["id"] in under)
    edit.tasks[last + 1 : last + 1] = entries
