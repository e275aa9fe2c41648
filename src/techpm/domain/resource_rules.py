"""Rules on resources and on what tasks ask of them."""

from __future__ import annotations

from techpm.domain.project import Project
from techpm.domain.validation_types import Finding, duplicate_ids


def check_resources(project: Project) -> list[Finding]:
    found: list[Finding] = []
    known_calendars = set(project.calendars) | {"standard"}
    found += duplicate_ids((r.id for r in project.resources), "resource")
    for resource in project.resources:
        if resource.calendar is not None and resource.calendar not in known_calendars:
            found.append(
                Finding(
                    "calendar.not_found",
                    f"calendar {resource.calendar!r} of resource {resource.id!r} is not defined",
                    "resource",
                    resource.id,
                    "calendar",
                )
            )
        for n, (first, last) in enumerate(resource.vacations):
            if last < first:
                found.append(
                    Finding(
                        "resource.bad_vacation",
                        f"vacation of {resource.id!r} ends ({last}) before it starts ({first})",
                        "resource",
                        resource.id,
                        "vacations",
                        n,
                    )
                )
    for task in project.tasks:
        found += _check_task(project, task.id)
    return found


def _check_task(project: Project, task_id: str) -> list[Finding]:
    task = project.task_by_id[task_id]
    found: list[Finding] = []
    resources = project.resource_by_id

    def finding(
        code: str, message: str, field: str, n: int | None = None, sub: str | None = None
    ) -> None:
        found.append(Finding(code, message, "task", task.id, field, n, sub))

    for n, item in enumerate(task.needs_items):
        if item not in project.item_by_id:
            finding(
                "procurement.unknown_item",
                f"task {task.id!r} needs {item!r}, which is not under procurement",
                "needs_items",
                n,
            )
    seen: set[str] = set()
    for n, assignment in enumerate(task.assignments):
        resource = resources.get(assignment.resource)
        if resource is None:
            finding(
                "resource.not_found",
                f"task {task.id!r} is assigned {assignment.resource!r}, which is not a resource "
                "of this plan",
                "assign",
                n,
                "resource",
            )
            continue
        if assignment.resource in seen:
            finding(
                "resource.assigned_twice",
                f"{assignment.resource!r} is assigned to task {task.id!r} twice; give one "
                "assignment with the total units",
                "assign",
                n,
                "resource",
            )
        seen.add(assignment.resource)
        if assignment.units > resource.bookable + 1e-9:
            finding(
                "resource.over_capacity",
                f"task {task.id!r} asks for {assignment.units:g} units of {resource.id!r}, which "
                f"has {resource.bookable:g}: the task can never run",
                "assign",
                n,
                "units",
            )
    for n, need in enumerate(task.needs):
        skilled = [r for r in project.resources if need.skill in r.skill_levels]
        if not skilled:
            finding(
                "skill.unknown",
                f"task {task.id!r} needs skill {need.skill!r}, which no resource has",
                "needs",
                n,
                "skill",
            )
            continue
        qualified = [r for r in skilled if r.skill_levels[need.skill] >= need.level]
        heads = sum(max(1, int(r.capacity)) for r in qualified)
        if heads < need.count:
            names = ", ".join(r.id for r in qualified) or "nobody"
            finding(
                "skill.unmet",
                f"task {task.id!r} needs {need.count} people with {need.skill} at level "
                f"{need.level} or above; only {heads} qualify ({names})",
                "needs",
                n,
                "count",
            )
        elif need.units > max(r.bookable for r in qualified) + 1e-9:
            finding(
                "resource.over_capacity",
                f"task {task.id!r} needs {need.units:g} units of each {need.skill} person; no "
                "qualified resource can give that much",
                "needs",
                n,
                "units",
            )
    if task.effort_minutes is not None:
        if project.is_summary(task.id):
            finding(
                "task.summary_effort",
                f"summary task {task.id!r} has an effort; put the work on its tasks",
                "effort",
            )
        elif task.milestone:
            finding("task.milestone_effort", f"milestone {task.id!r} has an effort", "effort")
        elif not task.assignments and not task.needs:
            finding(
                "task.effort_without_resources",
                f"task {task.id!r} has an effort but nobody to do it: add `assign` or "
                "`needs`, or give a duration",
                "effort",
            )
    return found
