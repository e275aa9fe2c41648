"""A plan with a few tasks changed in place, built without rebuilding the other thousand:
the changed tasks go through the plan file's schema and builder on their own (with the
project, calendars and resources they are read against), replace their old selves, and the
result is checked as a whole as `techpm check` checks it. Anything else — tasks added,
removed or moved, another section changed, or a problem found — is left to the full load,
which reports problems where they are; so this path only ever gives the plan the full load
would give (a test holds the two equal)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from techpm.domain.errors import InvalidPlanError
from techpm.domain.project import Project
from techpm.domain.validation import validate_project
from techpm.interop.planfile.document import DataDocument
from techpm.interop.planfile.loader import build_plan
from techpm.interop.planfile.source import SourceMap
from techpm.services.planning import compiled_network

MOST_CHANGED = 20  # more changed tasks than this: the full load is as quick
CONTEXT = ("project", "calendars", "resources")


def quick_plan(
    original: Project,
    parts: dict[str, Any],
    tasks: list[dict[str, Any]],
    before: list[dict[str, Any]],
    file: str,
) -> Project | None:
    """The plan `original` becomes when its flat task mappings `before` are now `tasks`
    (same ids, parents and order) and `parts` are its other sections unchanged; None when
    this path cannot tell (the caller loads the whole plan)."""
    changed = [i for i, (now, was) in enumerate(zip(tasks, before, strict=True)) if now != was]
    if not changed:
        return original
    if len(changed) > MOST_CHANGED:
        return None
    entries = [{k: v for k, v in tasks[i].items() if k != "parent"} for i in changed]
    if any("children" in entry for entry in entries):
        return None
    document = {**{key: parts[key] for key in CONTEXT if key in parts}, "tasks": entries}
    try:
        built, problems = build_plan(document, SourceMap(document=DataDocument(file, document)))
    except InvalidPlanError:
        return None
    if problems:
        return None
    by_id = {task.id: task for task in built.tasks}
    links: dict[str, list[Any]] = {}
    for dep in original.dependencies:
        links.setdefault(dep.successor, []).append(dep)
    for key in by_id:
        links[key] = [d for d in built.dependencies if d.successor == key]
    new_tasks = tuple(
        replace(by_id[task.id], parent=task.parent) if task.id in by_id else task
        for task in original.tasks
    )
    project = replace(
        original,
        tasks=new_tasks,
        dependencies=tuple(d for task in new_tasks for d in links.get(task.id, ())),
    )
    if validate_project(project):
        return None
    if any(tasks[i].get("after") != before[i].get("after") for i in changed):
        try:
            compiled_network(project)
        except InvalidPlanError:
            return None
    return project
