"""A stored plan opened for an edit of one entity: its plan-file document with the tasks
flat (each with its `parent`), changed in place by a collection, then loaded back and
checked exactly as `techpm check` checks a file. Problems name the entity they are in
(`tasks[design].duration`), not a position in a document nobody wrote."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from techpm.domain.errors import InvalidPlanError, Problem, SourceLocation
from techpm.domain.project import Project
from techpm.interop.gc_pause import paused_gc
from techpm.interop.planfile.document import DataDocument
from techpm.interop.planfile.dump import nest, plan_parts, task_entries
from techpm.interop.planfile.limits import value_problems
from techpm.interop.planfile.loader import load_plan_document
from techpm.interop.planfile.locations import dotted
from techpm.services.collections.quick_edit import quick_plan
from techpm.services.planning import compiled_network

KEYED_PARTS = ("resources", "procurement", "risks", "stakeholders", "sprints", "goals", "ideas")


class PlanEdit:
    """`parts` are the plan file's sections but tasks; `tasks` the flat task mappings in WBS
    order, each with `parent` (None at the top)."""

    def __init__(self, project: Project) -> None:
        self.parts: dict[str, Any] = plan_parts(project)  # fresh mappings, safe to change
        self.tasks: list[dict[str, Any]] = [
            {**entry, "parent": task.parent} for task, entry in task_entries(project)
        ]
        # links and parents as read: lists are replaced, never changed in place, so an edit
        # that left them alone keeps the very same objects
        self._network = {t["id"]: (t.get("after"), t["parent"]) for t in self.tasks}
        self._project = project
        self._before = [dict(t) for t in self.tasks]  # the tasks as read, to see what changed

    def _quick(self, file: str) -> Project | None:
        """The edited plan without a full load, when only some tasks' own keys changed."""
        same_shape = len(self.tasks) == len(self._before) and all(
            now["id"] == was["id"] and now["parent"] == was["parent"]
            for now, was in zip(self.tasks, self._before, strict=True)
        )
        if not same_shape or self.parts != plan_parts(self._project):
            return None
        return quick_plan(self._project, self.parts, self.tasks, self._before, file)

    def network_changed(self) -> bool:
        """Could the edit have made a loop among the links (a link or a parent changed)?"""
        if len(self.tasks) != len(self._network):
            return True
        for t in self.tasks:
            was = self._network.get(t["id"])
            if was is None or was[0] is not t.get("after") or was[1] != t["parent"]:
                return True
        return False

    # ---- finding -----------------------------------------------------------------------
    def task(self, key: str) -> dict[str, Any] | None:
        return next((t for t in self.tasks if t["id"] == key), None)

    def descendants(self, key: str) -> set[str]:
        """`key` and every task under it."""
        found = {key}
        for entry in self.tasks:  # WBS order: a parent comes before its children
            if entry["parent"] in found:
                found.add(entry["id"])
        return found

    def part(self, name: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.parts.setdefault(name, [])
        return entries

    # ---- back to a plan ----------------------------------------------------------------
    def document(self) -> dict[str, Any]:
        entries = [{k: v for k, v in t.items() if k != "parent"} for t in self.tasks]
        return {**self.parts, "tasks": nest(entries, [t["parent"] for t in self.tasks])}

    def project(self, file: str) -> Project:
        """The edited plan, checked; InvalidPlanError names the entities of its problems."""
        quick = self._quick(file)
        if quick is not None:
            return quick
        document = self.document()
        try:
            with paused_gc():
                # the stored plan passed the limits; `values_within_limits` checks what changed
                loaded = load_plan_document(DataDocument(file, document), values_checked=True)
                if self.network_changed():  # no loop among the links, as `techpm check`
                    compiled_network(loaded.project, loaded.source_map)
                return replace(loaded.project, source=self._project.source)
        except InvalidPlanError as exc:
            names = _entity_names(document)
            raise InvalidPlanError([_named(p, names) for p in exc.problems]) from None


def _entity_names(document: dict[str, Any]) -> dict[str, str]:
    """Document path -> the same path by id: `tasks[0].children[1]` -> `tasks[deploy]`."""
    names: dict[str, str] = {}

    def walk(nodes: list[Any], prefix: str) -> None:
        for index, node in enumerate(nodes):
            path = f"{prefix}[{index}]"
            if isinstance(node, dict) and "id" in node:
                names[path] = f"tasks[{node['id']}]"
                walk(node.get("children") or [], f"{path}.children")

    walk(document.get("tasks") or [], "tasks")
    for part in KEYED_PARTS:
        for index, entry in enumerate(document.get(part) or []):
            if isinstance(entry, dict) and "id" in entry:
                names[f"{part}[{index}]"] = f"{part}[{entry['id']}]"
    return names


def _named(problem: Problem, names: dict[str, str]) -> Problem:
    where = problem.location
    if where is None or not where.field:
        return problem
    field = where.field
    best = max(
        (p for p in names if field == p or field.startswith((p + ".", p + "["))),
        key=len,
        default=None,
    )
    if best is not None:
        field = names[best] + field[len(best) :]
    return Problem(problem.code, problem.message, SourceLocation(where.file, field=field))


def values_within_limits(body: Any, file: str) -> None:
    """The values a request brings, held to the plan file's limits (depth, size, range)."""
    problems = value_problems(body, lambda path: SourceLocation(file, field=dotted(path) or None))
    if problems:
        raise InvalidPlanError(problems)


def relative(error: InvalidPlanError, prefix: str) -> InvalidPlanError:
    """The problems of one entity's edit, with fields inside it named as in its body."""
    out = []
    for p in error.problems:
        field = p.location.field if p.location else None
        if field and field.startswith(prefix + "."):
            field = field[len(prefix) + 1 :]
            p = Problem(
                p.code,
                p.message,
                SourceLocation(p.location.file if p.location else "", field=field),
            )
        out.append(p)
    return InvalidPlanError(out)
