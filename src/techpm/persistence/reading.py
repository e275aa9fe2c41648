"""Rows back to a domain Project, in the order the plan had."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from techpm.domain.calendar import CalendarSpec, HolidayRule
from techpm.domain.dependency import Dependency
from techpm.domain.errors import NotFoundError
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.raci import ROLES, RaciEntry
from techpm.domain.resource import Assignment, Resource, SkillNeed
from techpm.domain.risk import Risk
from techpm.domain.stakeholder import Stakeholder
from techpm.domain.task import Task
from techpm.domain.units import DurationUnits
from techpm.persistence.codec import decode
from techpm.persistence.fields import field_values
from techpm.persistence.mappers import INFO_RENAMES, KEYED, PART_KINDS, PROJECT_COLUMNS, TASK_LINKS
from techpm.persistence.rows import (
    AssignmentRow,
    CalendarExceptionRow,
    CalendarRow,
    DependencyRow,
    HolidayRuleRow,
    PlanPartRow,
    ProjectRow,
    RaciEntryRow,
    RaciPartyRow,
    ResourceRow,
    ResourceSkillRow,
    RiskRow,
    SkillNeedRow,
    StakeholderRow,
    TaskRow,
)

RowT = TypeVar("RowT")


class ProjectNotFoundError(NotFoundError):
    code = "project.not_found"


def find_project(session: Session, key: str) -> ProjectRow:
    row = session.scalars(select(ProjectRow).where(ProjectRow.key == key)).one_or_none()
    if row is None:
        raise ProjectNotFoundError(f"no project {key!r}")
    return row


def load_project(session: Session, key: str) -> Project:
    """The stored plan of project `key`."""
    return read_project(session, find_project(session, key))


def read_project(session: Session, row: ProjectRow) -> Project:
    def rows(cls: type[RowT]) -> Sequence[RowT]:
        query = select(cls).where(cls.project_id == row.id)  # type: ignore[attr-defined]
        return session.scalars(query.order_by(cls.position, cls.id)).all()  # type: ignore[attr-defined]

    info = ProjectInfo(**field_values(row, ProjectInfo, renames=INFO_RENAMES))
    units = DurationUnits(**field_values(row, DurationUnits))
    extras: dict[str, Any] = {name: getattr(row, name) for name in PROJECT_COLUMNS}
    extras = {k: v if k == "source" else decode(v) for k, v in extras.items()}
    parts: dict[str, Any] = defaultdict(list)
    for part in rows(PlanPartRow):
        parts[part.kind].append(decode(part.data))
    resources = _resources(rows(ResourceRow), rows(ResourceSkillRow))
    tasks, task_keys = _tasks(rows(TaskRow), rows(AssignmentRow), rows(SkillNeedRow), resources)
    links = tuple(
        Dependency(
            predecessor=task_keys[link.predecessor_id],
            successor=task_keys[link.successor_id],
            **field_values(link, Dependency, skip=("predecessor", "successor")),
        )
        for link in rows(DependencyRow)
    )
    return Project(
        info=info,
        calendars=_calendars(rows(CalendarRow), rows(CalendarExceptionRow), rows(HolidayRuleRow)),
        tasks=tasks,
        dependencies=links,
        resources=tuple(resources.values()),
        risks=tuple(Risk(**field_values(r, Risk, renames=KEYED)) for r in rows(RiskRow)),
        stakeholders=tuple(
            Stakeholder(**field_values(s, Stakeholder, renames=KEYED)) for s in rows(StakeholderRow)
        ),
        raci=_raci(rows(RaciEntryRow), rows(RaciPartyRow), task_keys),
        units=units,
        **{kind: tuple(parts[kind]) for kind in PART_KINDS},  # type: ignore[arg-type]
        **extras,
    )


def _calendars(
    calendars: Sequence[CalendarRow],
    exceptions: Sequence[CalendarExceptionRow],
    rules: Sequence[HolidayRuleRow],
) -> dict[str, CalendarSpec]:
    days: dict[tuple[int, bool], set[Any]] = defaultdict(set)
    for exception in exceptions:
        days[exception.calendar_id, exception.working].add(exception.day_on)
    holidays: dict[int, list[HolidayRule]] = defaultdict(list)
    for rule in rules:
        holidays[rule.calendar_id].append(HolidayRule(**field_values(rule, HolidayRule)))
    skip = ("holidays", "nonworking", "working")
    return {
        row.key: CalendarSpec(
            **field_values(row, CalendarSpec, renames=KEYED, skip=skip),
            holidays=None if row.holidays_inherited else tuple(holidays[row.id]),
            nonworking=frozenset(days[row.id, False]),
            working=frozenset(days[row.id, True]),
        )
        for row in calendars
    }


def _resources(
    resources: Sequence[ResourceRow], skills: Sequence[ResourceSkillRow]
) -> dict[int, Resource]:
    levels: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for skill in skills:
        levels[skill.resource_id].append((skill.skill, skill.level))
    return {
        row.id: Resource(
            **field_values(row, Resource, renames=KEYED, skip=("skills",)),
            skills=tuple(levels[row.id]),
        )
        for row in resources
    }


def _tasks(
    tasks: Sequence[TaskRow],
    assignments: Sequence[AssignmentRow],
    needs: Sequence[SkillNeedRow],
    resources: dict[int, Resource],
) -> tuple[tuple[Task, ...], dict[int, str]]:
    keys = {row.id: row.key for row in tasks}
    on_task: dict[int, list[Assignment]] = defaultdict(list)
    for a in assignments:
        values = field_values(a, Assignment, skip=("resource",))
        on_task[a.task_id].append(Assignment(resource=resources[a.resource_id].id, **values))
    wanted: dict[int, list[SkillNeed]] = defaultdict(list)
    for need in needs:
        wanted[need.task_id].append(SkillNeed(**field_values(need, SkillNeed)))
    result = tuple(
        Task(
            **field_values(row, Task, renames=KEYED, skip=TASK_LINKS),
            parent=None if row.parent_id is None else keys[row.parent_id],
            assignments=tuple(on_task[row.id]),
            needs=tuple(wanted[row.id]),
        )
        for row in tasks
    )
    return result, keys


def _raci(
    entries: Sequence[RaciEntryRow], parties: Sequence[RaciPartyRow], task_keys: dict[int, str]
) -> tuple[RaciEntry, ...]:
    people: dict[tuple[int, str], list[str]] = defaultdict(list)
    for party in parties:
        people[party.entry_id, party.role].append(party.party)
    return tuple(
        RaciEntry(
            task=task_keys[entry.task_id],
            **{role: tuple(people[entry.id, role]) for role in ROLES},
        )
        for entry in entries
    )
