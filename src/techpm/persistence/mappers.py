"""A domain Project to rows and back. Keys of the plan file (task ids, resource ids) become
`key` columns; links between rows are foreign keys to integer ids."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from techpm.domain.calendar import CalendarSpec, HolidayRule
from techpm.domain.dependency import Dependency
from techpm.domain.project import Project, ProjectInfo
from techpm.domain.raci import ROLES
from techpm.domain.resource import Assignment, Resource, SkillNeed
from techpm.domain.risk import Risk
from techpm.domain.stakeholder import Stakeholder
from techpm.domain.task import Task
from techpm.domain.units import DurationUnits
from techpm.persistence.codec import encode
from techpm.persistence.fields import column_values
from techpm.persistence.rows import (
    AssignmentRow,
    Base,
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

INFO_RENAMES = {"start": "start_on", "status_date": "status_date_on"}
KEYED = {"id": "key"}
TASK_LINKS = ("parent", "assignments", "needs")  # kept as foreign keys and child rows
# the parts kept whole as JSON on a per-kind row for now
PART_KINDS = ("correlations", "procurement", "sprints", "goals", "ideas")
PROJECT_COLUMNS = ("risk_matrix", "decisions", "asks", "workflow", "source")
# every table inside a project, rows before those they point at, for replacing a plan
CHILD_ROWS: tuple[type[Base], ...] = (
    RaciPartyRow,
    RaciEntryRow,
    AssignmentRow,
    SkillNeedRow,
    DependencyRow,
    TaskRow,  # one statement for the whole WBS: the database checks its links at the end
    ResourceSkillRow,
    CalendarExceptionRow,
    HolidayRuleRow,
    PlanPartRow,
    RiskRow,
    StakeholderRow,
    ResourceRow,
    CalendarRow,
)


def add_project(session: Session, project: Project, *, key: str) -> ProjectRow:
    """Store a new project under `key` with its whole plan."""
    row = ProjectRow(key=key, **project_columns(project))
    session.add(row)
    _add_plan(session, row, project)
    session.flush()
    return row


def replace_plan(session: Session, row: ProjectRow, project: Project) -> None:
    """Put `project` in place of the stored plan; the project row's version moves once."""
    for child in CHILD_ROWS:
        session.execute(delete(child).where(child.project_id == row.id))  # type: ignore[attr-defined]
    for name, value in project_columns(project).items():
        setattr(row, name, value)
    flag_modified(row, "key")  # a new version even when only the children changed
    _add_plan(session, row, project)
    session.flush()


def project_columns(project: Project) -> dict[str, Any]:
    values = column_values(project.info, ProjectRow, renames=INFO_RENAMES)
    for name in PROJECT_COLUMNS:
        value = getattr(project, name)
        values[name] = value if name == "source" else encode(value)
    values.update(column_values(project.units, ProjectRow))
    return values


def _add_plan(session: Session, project_row: ProjectRow, project: Project) -> None:
    def own(row: Any, position: int) -> Any:
        row.project, row.position = project_row, position
        session.add(row)
        return row

    for position, spec in enumerate(project.calendars.values()):
        _add_calendar(own(_calendar_row(spec), position), spec, own)
    resources: dict[str, ResourceRow] = {}
    for position, resource in enumerate(project.resources):
        resources[resource.id] = own(_resource_row(resource), position)
        for rank, (skill, level) in enumerate(resource.skills):
            own(ResourceSkillRow(resource=resources[resource.id], skill=skill, level=level), rank)
    tasks: dict[str, TaskRow] = {}
    for position, task in enumerate(project.tasks):
        values = column_values(
            task, TaskRow, renames=KEYED, skip=("parent", "assignments", "needs")
        )
        parent = tasks[task.parent] if task.parent is not None else None
        tasks[task.id] = row = own(TaskRow(parent=parent, **values), position)
        for rank, a in enumerate(task.assignments):
            values = column_values(a, AssignmentRow, skip=("resource",))
            own(AssignmentRow(task=row, resource=resources[a.resource], **values), rank)
        for rank, need in enumerate(task.needs):
            own(SkillNeedRow(task=row, **column_values(need, SkillNeedRow)), rank)
    for position, dep in enumerate(project.dependencies):
        values = column_values(dep, DependencyRow, skip=("predecessor", "successor"))
        link = DependencyRow(
            predecessor=tasks[dep.predecessor], successor=tasks[dep.successor], **values
        )
        own(link, position)
    for position, risk in enumerate(project.risks):
        own(RiskRow(**column_values(risk, RiskRow, renames=KEYED)), position)
    for position, person in enumerate(project.stakeholders):
        own(StakeholderRow(**column_values(person, StakeholderRow, renames=KEYED)), position)
    for position, entry in enumerate(project.raci):
        raci = own(RaciEntryRow(task=tasks[entry.task]), position)
        parties = [(role, party) for role in ROLES for party in getattr(entry, role)]
        for rank, (role, party) in enumerate(parties):
            own(RaciPartyRow(entry=raci, role=role, party=party), rank)
    for kind in PART_KINDS:
        for position, part in enumerate(getattr(project, kind)):
            own(PlanPartRow(kind=kind, data=encode(part)), position)


def _calendar_row(spec: CalendarSpec) -> CalendarRow:
    values = column_values(
        spec, CalendarRow, renames=KEYED, skip=("holidays", "nonworking", "working")
    )
    return CalendarRow(holidays_inherited=spec.holidays is None, **values)


def _add_calendar(row: CalendarRow, spec: CalendarSpec, own: Any) -> None:
    days = [(day, False) for day in sorted(spec.nonworking)]
    days += [(day, True) for day in sorted(spec.working)]
    for rank, (day, working) in enumerate(days):
        own(CalendarExceptionRow(calendar=row, day_on=day, working=working), rank)
    for rank, rule in enumerate(spec.holidays or ()):
        values = column_values(rule, HolidayRuleRow)
        own(HolidayRuleRow(calendar=row, **values), rank)


def _resource_row(resource: Resource) -> ResourceRow:
    return ResourceRow(**column_values(resource, ResourceRow, renames=KEYED, skip=("skills",)))


# the domain types each table stands for, for the test that every field has a home
MAPPED: dict[type[Any], type[Base]] = {
    ProjectInfo: ProjectRow,
    DurationUnits: ProjectRow,
    CalendarSpec: CalendarRow,
    HolidayRule: HolidayRuleRow,
    Task: TaskRow,
    Dependency: DependencyRow,
    Assignment: AssignmentRow,
    SkillNeed: SkillNeedRow,
    Resource: ResourceRow,
    Risk: RiskRow,
    Stakeholder: StakeholderRow,
}
