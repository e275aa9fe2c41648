"""A domain Project to rows and back. Keys of the plan file (task ids, resource ids) become
`key` columns; links between rows are foreign keys to integer ids."""

from __future__ import annotations

from dataclasses import dataclass
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
# the tables of each part of a plan, parents first
GROUPS: dict[str, tuple[type[Base], ...]] = {
    "calendars": (CalendarRow, CalendarExceptionRow, HolidayRuleRow),
    "resources": (ResourceRow, ResourceSkillRow),
    "tasks": (TaskRow, AssignmentRow, SkillNeedRow),
    "dependencies": (DependencyRow,),
    "risks": (RiskRow,),
    "stakeholders": (StakeholderRow,),
    "raci": (RaciEntryRow, RaciPartyRow),
    "parts": (PlanPartRow,),
}
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


@dataclass(frozen=True)
class Link:
    """A row another row points at: its table and its key."""

    table: type[Base]
    key: tuple[Any, ...]


@dataclass(frozen=True)
class PlanRow:
    """A row the plan needs: its table, its key inside the project (the plan's own ids, or
    the keys of the rows it belongs to and its place among them), its column values
    (`position` included) and the rows it points at, by their keys."""

    table: type[Base]
    key: tuple[Any, ...]
    values: dict[str, Any]
    links: dict[str, Link | None]  # relationship -> the row it points at


@dataclass(frozen=True)
class Scope:
    """The parts of a plan whose rows to list: groups of GROUPS, and within "tasks" only
    the tasks named (all when None)."""

    groups: frozenset[str]
    tasks: frozenset[str] | None = None


def plan_rows(project: Project, scope: Scope | None = None) -> list[PlanRow]:
    """Every row of the plan (or of the parts in `scope`), each after the rows it points
    at. A key met twice (the same link written twice) gets its count appended, so each row
    has a key of its own."""
    out: list[PlanRow] = []
    seen: dict[tuple[Any, ...], int] = {}
    listed = (lambda group: True) if scope is None else scope.groups.__contains__
    some_tasks = None if scope is None else scope.tasks

    def want(
        table: type[Base],
        natural: tuple[Any, ...],
        position: int,
        values: dict[str, Any],
        **links: Link | None,
    ) -> Link:
        key = unique_key(seen, table, natural)
        out.append(PlanRow(table, key, {**values, "position": position}, links))
        return Link(table, key)

    for position, spec in enumerate(project.calendars.values() if listed("calendars") else ()):
        cal = want(CalendarRow, (spec.id,), position, _calendar_values(spec))
        days = [(day, False) for day in sorted(spec.nonworking)]
        days += [(day, True) for day in sorted(spec.working)]
        for rank, (day, working) in enumerate(days):
            values = {"day_on": day, "working": working}
            want(CalendarExceptionRow, (cal.key, day, working), rank, values, calendar=cal)
        for rank, rule in enumerate(spec.holidays or ()):
            values = column_values(rule, HolidayRuleRow)
            want(HolidayRuleRow, (cal.key, rank), rank, values, calendar=cal)
    resources: dict[str, Link] = {}
    for position, resource in enumerate(project.resources):
        if not listed("resources"):
            resources[resource.id] = Link(ResourceRow, (resource.id,))
            continue
        values = column_values(resource, ResourceRow, renames=KEYED, skip=("skills",))
        link = resources[resource.id] = want(ResourceRow, (resource.id,), position, values)
        for rank, (skill, level) in enumerate(resource.skills):
            values = {"skill": skill, "level": level}
            want(ResourceSkillRow, (link.key, skill), rank, values, resource=link)
    tasks: dict[str, Link] = {}
    for position, task in enumerate(project.tasks):
        if not listed("tasks") or (some_tasks is not None and task.id not in some_tasks):
            tasks[task.id] = Link(TaskRow, (task.id,))
            continue
        values = column_values(task, TaskRow, renames=KEYED, skip=TASK_LINKS)
        parent = tasks[task.parent] if task.parent is not None else None
        link = tasks[task.id] = want(TaskRow, (task.id,), position, values, parent=parent)
        for rank, a in enumerate(task.assignments):
            values = column_values(a, AssignmentRow, skip=("resource",))
            on = resources[a.resource]
            want(AssignmentRow, (link.key, on.key), rank, values, task=link, resource=on)
        for rank, need in enumerate(task.needs):
            values = column_values(need, SkillNeedRow)
            want(SkillNeedRow, (link.key, need.skill), rank, values, task=link)
    for position, dep in enumerate(project.dependencies if listed("dependencies") else ()):
        values = column_values(dep, DependencyRow, skip=("predecessor", "successor"))
        first, then = tasks[dep.predecessor], tasks[dep.successor]
        natural = (first.key, then.key)
        want(DependencyRow, natural, position, values, predecessor=first, successor=then)
    for position, risk in enumerate(project.risks if listed("risks") else ()):
        want(RiskRow, (risk.id,), position, column_values(risk, RiskRow, renames=KEYED))
    for position, person in enumerate(project.stakeholders if listed("stakeholders") else ()):
        values = column_values(person, StakeholderRow, renames=KEYED)
        want(StakeholderRow, (person.id,), position, values)
    for position, entry in enumerate(project.raci if listed("raci") else ()):
        task_link = tasks[entry.task]
        raci = want(RaciEntryRow, (task_link.key,), position, {}, task=task_link)
        parties = [(role, party) for role in ROLES for party in getattr(entry, role)]
        for rank, (role, party) in enumerate(parties):
            values = {"role": role, "party": party}
            want(RaciPartyRow, (raci.key, rank), rank, values, entry=raci)
    for kind in PART_KINDS if listed("parts") else ():
        for position, part in enumerate(getattr(project, kind)):
            values = {"kind": kind, "data": encode(part)}
            want(PlanPartRow, (kind, position), position, values)
    return out


def unique_key(
    seen: dict[tuple[Any, ...], int], table: type[Base], natural: tuple[Any, ...]
) -> tuple[Any, ...]:
    """`natural`, or `natural` with its count when `table` already had it."""
    count = seen[table, *natural] = seen.get((table, *natural), 0) + 1
    return natural if count == 1 else (*natural, f"#{count}")


def _add_plan(session: Session, project_row: ProjectRow, project: Project) -> None:
    made: dict[Link, Any] = {}
    for want in plan_rows(project):
        links = {name: made[to] if to else None for name, to in want.links.items()}
        row = made[Link(want.table, want.key)] = want.table(**want.values, **links)
        row.project = project_row  # type: ignore[attr-defined]
        session.add(row)


def _calendar_values(spec: CalendarSpec) -> dict[str, Any]:
    skip = ("holidays", "nonworking", "working")
    values = column_values(spec, CalendarRow, renames=KEYED, skip=skip)
    return {**values, "holidays_inherited": spec.holidays is None}


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
