"""Several plans as one: each plan a top-level summary, its tasks renamed `key/id`, so that
they can be scheduled and leveled together on a shared team."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from techpm.domain.calendar import CalendarSpec
from techpm.domain.dependency import Dependency
from techpm.domain.errors import TechpmError
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.resource import Resource
from techpm.domain.task import Constraint, ConstraintType, Task


class PortfolioError(TechpmError):
    code = "portfolio.conflict"


def combine(plans: Sequence[tuple[str, Project]], name: str) -> Project:
    first = plans[0][1]
    start = min(project.info.start for _, project in plans)
    calendars: dict[str, CalendarSpec] = {}
    resources: dict[str, Resource] = {}
    tasks: list[Task] = []
    links: list[Dependency] = []
    for key, project in plans:
        renamed: dict[str, str] = {}
        for cal_id, spec in project.calendars.items():
            if cal_id in calendars and calendars[cal_id] != spec:
                renamed[cal_id] = f"{key}/{cal_id}"
                base = spec.base and renamed.get(spec.base, spec.base)
                calendars[renamed[cal_id]] = replace(spec, id=renamed[cal_id], base=base)
            else:
                calendars[cal_id] = spec
        for resource in project.resources:
            known = resources.get(resource.id)
            if known is not None and known != resource:
                raise PortfolioError(
                    f"resource {resource.id!r} is defined differently in two plans; define it "
                    "once, in the resource file (--resources)"
                )
            calendar = resource.calendar and renamed.get(resource.calendar, resource.calendar)
            resources[resource.id] = replace(resource, calendar=calendar)
        own_calendar = renamed.get(project.info.calendar, project.info.calendar)
        tasks.append(
            Task(
                id=key,
                name=project.info.name,
                calendar=own_calendar if own_calendar != first.info.calendar else None,
                constraints=(
                    (Constraint(ConstraintType.START_NO_EARLIER_THAN, project.info.start),)
                    if project.info.start > start
                    else ()
                ),
                priority=project.info.priority,
            )
        )
        for task in project.tasks:
            calendar = task.calendar and renamed.get(task.calendar, task.calendar)
            tasks.append(
                replace(
                    task,
                    id=f"{key}/{task.id}",
                    parent=f"{key}/{task.parent}" if task.parent else key,
                    calendar=calendar,
                )
            )
        links.extend(
            replace(dep, predecessor=f"{key}/{dep.predecessor}", successor=f"{key}/{dep.successor}")
            for dep in project.dependencies
        )
    return Project(
        info=ProjectInfo(
            name=name,
            start=start,
            calendar=first.info.calendar,
            currency=first.info.currency,
        ),
        calendars=calendars,
        tasks=tuple(tasks),
        dependencies=tuple(links),
        resources=tuple(resources.values()),
        units=first.units,
        source=None,
    )
