"""Dependencies and assignments: they live inside the tasks of the plan file (a task's
`after` and `assign`), so each is found, added and removed there. Their ids are the keys the
history uses: `PRED->SUCC` and `TASK/RESOURCE`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from techpm.domain.errors import Problem
from techpm.services.collections.base import Collection, Entry, writable
from techpm.services.collections.checks import field_problem, refuse, text_fields
from techpm.services.collections.edit import PlanEdit
from techpm.services.collections.errors import EntityExistsError, FieldError

FS, NO_LAG = "FS", "0d"
DEPENDENCY_KEYS = {"predecessor", "successor", "type", "lag"}
ASSIGNMENT_KEYS = {"task", "resource", "units"}


def _link_problems(
    body: Entry, ends: tuple[str, str], *, creating: bool, entity: str, allowed: set[str]
) -> list[Problem]:
    """Every wrong key of a dependency or assignment body at once."""
    problems = [
        field_problem(
            key,
            f"not a field of a {entity} (use {', '.join(sorted(allowed))})",
            "planfile.unknown_field",
        )
        for key in sorted(set(writable(body)) - allowed - {"id"})
    ]
    problems += text_fields(body, ("id", *ends), ends if creating else ())
    kind, lag, units = body.get("type"), body.get("lag"), body.get("units")
    if "type" in allowed and kind is not None and kind not in ("FS", "SS", "FF", "SF"):
        problems.append(field_problem("type", "one of FS, SS, FF, SF"))
    if "lag" in allowed and lag is not None and not isinstance(lag, str):
        problems.append(field_problem("lag", "a duration such as 2d"))
    if (
        "units" in allowed
        and units is not None
        and (isinstance(units, bool) or not isinstance(units, int | float) or units <= 0)
    ):
        problems.append(field_problem("units", "a number above 0"))
    return problems


def _task(edit: PlanEdit, key: str, field: str) -> Entry:
    found = edit.task(key)
    if found is None:
        raise FieldError(field, f"no task {key!r}", code="task.not_found")
    return found


class Dependencies(Collection):
    name = "dependencies"
    entity = "dependency"

    def fields(self) -> frozenset[str]:
        return frozenset({"id", "predecessor", "successor", "type", "lag"})

    def entries(self, edit: PlanEdit) -> list[Entry]:
        out = []
        for task in edit.tasks:
            for link in task.get("after") or []:
                entry = {"task": link} if isinstance(link, str) else dict(link)
                out.append(
                    {
                        "id": f"{entry.get('task')}->{task['id']}",
                        "predecessor": entry.get("task"),
                        "successor": task["id"],
                        "type": entry.get("type", FS),
                        "lag": entry.get("lag", NO_LAG),
                    }
                )
        return out

    def where(self, edit: PlanEdit, key: str) -> str:
        return f"tasks[{key.rpartition('->')[2]}].after"

    def create(self, edit: PlanEdit, body: Entry, now: datetime) -> str:
        refuse(
            _link_problems(
                body,
                ("predecessor", "successor"),
                creating=True,
                entity="dependency",
                allowed=DEPENDENCY_KEYS,
            )
        )
        predecessor, successor = str(body["predecessor"]), str(body["successor"])
        _task(edit, predecessor, "predecessor")
        task = _task(edit, successor, "successor")
        key = f"{predecessor}->{successor}"
        if any(self.key_of(e) == key for e in self.entries(edit)):
            raise EntityExistsError(self.entity, key)
        link = _link(predecessor, body.get("type", FS), body.get("lag", NO_LAG))
        task["after"] = [*(task.get("after") or []), link]
        return key

    def update(self, edit: PlanEdit, key: str, patch: Entry, now: datetime) -> None:
        current = self.find(edit, key)
        refuse(
            _link_problems(
                patch,
                ("predecessor", "successor"),
                creating=False,
                entity="dependency",
                allowed=DEPENDENCY_KEYS,
            )
        )
        for end in ("predecessor", "successor"):
            if end in patch and patch[end] != current[end]:
                raise FieldError(
                    end,
                    "the tasks of a dependency cannot change; add a new one",
                    code="request.id_immutable",
                )
        kind = patch.get("type") or current["type"]
        lag = patch.get("lag") or current["lag"]
        self._replace(edit, current, _link(current["predecessor"], kind, lag))

    def delete(self, edit: PlanEdit, key: str) -> None:
        self._replace(edit, self.find(edit, key), None)

    def _replace(self, edit: PlanEdit, current: Entry, link: Any) -> None:
        task = _task(edit, current["successor"], "successor")
        predecessor = current["predecessor"]
        _swap(
            task,
            "after",
            lambda old: (old if isinstance(old, str) else old.get("task")) == predecessor,
            link,
        )


def _link(predecessor: str, kind: Any, lag: Any) -> Any:
    if kind == FS and lag in (NO_LAG, "0", 0, None):
        return predecessor
    link: Entry = {"task": predecessor, "type": kind}
    if lag not in (NO_LAG, None):
        link["lag"] = lag
    return link


class Assignments(Collection):
    name = "assignments"
    entity = "assignment"

    def fields(self) -> frozenset[str]:
        return frozenset({"id", "task", "resource", "units"})

    def entries(self, edit: PlanEdit) -> list[Entry]:
        return [
            {
                "id": f"{task['id']}/{a.get('resource')}",
                "task": task["id"],
                "resource": a.get("resource"),
                "units": a.get("units", 1),
            }
            for task in edit.tasks
            for a in task.get("assign") or []
            if isinstance(a, dict)
        ]

    def where(self, edit: PlanEdit, key: str) -> str:
        for entry in self.entries(edit):
            if entry["id"] == key:
                return f"tasks[{entry['task']}].assign"
        return f"assignments[{key}]"

    def create(self, edit: PlanEdit, body: Entry, now: datetime) -> str:
        refuse(
            _link_problems(
                body,
                ("task", "resource"),
                creating=True,
                entity="assignment",
                allowed=ASSIGNMENT_KEYS,
            )
        )
        task_id, resource = str(body["task"]), str(body["resource"])
        task = _task(edit, task_id, "task")
        key = f"{task_id}/{resource}"
        if any(e["id"] == key for e in self.entries(edit)):
            raise EntityExistsError(self.entity, key)
        task["assign"] = [*(task.get("assign") or []), _assignment(resource, body.get("units", 1))]
        return key

    def update(self, edit: PlanEdit, key: str, patch: Entry, now: datetime) -> None:
        current = self.find(edit, key)
        refuse(
            _link_problems(
                patch,
                ("task", "resource"),
                creating=False,
                entity="assignment",
                allowed=ASSIGNMENT_KEYS,
            )
        )
        for end in ("task", "resource"):
            if end in patch and patch[end] != current[end]:
                raise FieldError(
                    end,
                    "an assignment's task and resource cannot change; add a new one",
                    code="request.id_immutable",
                )
        self._replace(
            edit, current, _assignment(current["resource"], patch.get("units", current["units"]))
        )

    def delete(self, edit: PlanEdit, key: str) -> None:
        self._replace(edit, self.find(edit, key), None)

    def _replace(self, edit: PlanEdit, current: Entry, new: Any) -> None:
        task = _task(edit, current["task"], "task")
        resource = current["resource"]
        _swap(task, "assign", lambda a: isinstance(a, dict) and a.get("resource") == resource, new)


def _predecessor(link: Any) -> Any:
    """The task a link in `after` names: a bare id, or a mapping's `task`."""
    return link if isinstance(link, str) else link.get("task")


def _swap(task: Entry, key: str, matches: Callable[[Any], bool], new: Any) -> None:
    """The task's list `key` with the entry `matches` picks replaced by `new` (None: removed);
    a new list, as the plan edit's lists are never changed in place."""
    kept = []
    for old in task.get(key) or []:
        if not matches(old):
            kept.append(old)
        elif new is not None:
            kept.append(new)
    task[key] = kept


def _assignment(resource: str, units: Any) -> Entry:
    return {"resource": resource, "units": units}
