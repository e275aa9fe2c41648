"""Make the stored rows of a project equal to a plan by editing them in place: each row
is matched by its key inside the project (a task's id, a link's two tasks, ...), only the
columns that differ are written, missing rows are added and rows the plan no longer has are
deleted. Row ids and versions survive, so a row's version says how often it really changed,
and the project's version moves once when anything changed, not at all otherwise."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from techpm.domain.project import Project
from techpm.persistence.mappers import (
    GROUPS,
    PART_KINDS,
    Link,
    Scope,
    plan_rows,
    project_columns,
    unique_key,
)
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

KeyOf = Callable[[type[Base], int], tuple[Any, ...]]  # a stored row's key from its id

# each table's key, as `plan_rows` gives it, from a stored row; parents before children
STORED_KEYS: dict[type[Base], Callable[[Any, KeyOf], tuple[Any, ...]]] = {
    CalendarRow: lambda r, k: (r.key,),
    CalendarExceptionRow: lambda r, k: (k(CalendarRow, r.calendar_id), r.day_on, r.working),
    HolidayRuleRow: lambda r, k: (k(CalendarRow, r.calendar_id), r.position),
    ResourceRow: lambda r, k: (r.key,),
    ResourceSkillRow: lambda r, k: (k(ResourceRow, r.resource_id), r.skill),
    TaskRow: lambda r, k: (r.key,),
    AssignmentRow: lambda r, k: (k(TaskRow, r.task_id), k(ResourceRow, r.resource_id)),
    SkillNeedRow: lambda r, k: (k(TaskRow, r.task_id), r.skill),
    DependencyRow: lambda r, k: (k(TaskRow, r.predecessor_id), k(TaskRow, r.successor_id)),
    RiskRow: lambda r, k: (r.key,),
    StakeholderRow: lambda r, k: (r.key,),
    RaciEntryRow: lambda r, k: (k(TaskRow, r.task_id),),
    RaciPartyRow: lambda r, k: (k(RaciEntryRow, r.entry_id), r.position),
    PlanPartRow: lambda r, k: (r.kind, r.position),
}


@dataclass
class StoredRows:
    """A project's plan rows by table and key, as loaded for one sync, and the ids of the
    calendars, resources and tasks by key (for rows pointing at ones not loaded)."""

    rows: dict[type[Base], dict[tuple[Any, ...], Any]] = field(default_factory=dict)
    keys: dict[tuple[type[Base], int], tuple[Any, ...]] = field(default_factory=dict)
    ids: dict[Link, int] = field(default_factory=dict)


KEYED_TABLES: tuple[Any, ...] = (CalendarRow, ResourceRow, TaskRow)


def load_rows(session: Session, row: ProjectRow, scope: Scope | None = None) -> StoredRows:
    """The plan rows of the project (those in `scope`), keyed as `plan_rows` keys them."""
    stored = StoredRows()
    seen: dict[tuple[Any, ...], int] = {}
    tables = list(STORED_KEYS) if scope is None else [t for g in scope.groups for t in GROUPS[g]]
    for table in KEYED_TABLES:
        query = select(table.id, table.key).where(table.project_id == row.id)
        for row_id, key in session.execute(query):
            stored.keys[table, row_id] = (key,)
            stored.ids[Link(table, (key,))] = row_id
    some = None if scope is None or scope.tasks is None else sorted(scope.tasks)
    task_ids = (
        []
        if some is None
        else [stored.ids[t] for k in some if (t := Link(TaskRow, (k,))) in stored.ids]
    )

    def key_of(table: type[Base], row_id: int) -> tuple[Any, ...]:
        return stored.keys[table, row_id]

    for table in (t for t in STORED_KEYS if t in tables):
        rows: Any = select(table).where(table.project_id == row.id)  # type: ignore[attr-defined]
        if some is not None and table is TaskRow:
            rows = rows.where(TaskRow.key.in_(some))
        elif some is not None and table in (AssignmentRow, SkillNeedRow):
            rows = rows.where(table.task_id.in_(task_ids))
        found: Sequence[Any] = session.scalars(rows.order_by(table.position, table.id)).all()
        by_key = stored.rows[table] = {}
        for item in found:
            key = unique_key(seen, table, STORED_KEYS[table](item, key_of))
            by_key[key] = item
            stored.keys[table, item.id] = key
    return stored


def changed_scope(old: Project, new: Project) -> Scope:
    """The parts of the plan that differ between `old` and `new`, and the tasks that moved
    or changed (a task is compared with its place in the WBS)."""
    parts = {
        "calendars": (list(old.calendars.items()), list(new.calendars.items())),
        "resources": (old.resources, new.resources),
        "dependencies": (old.dependencies, new.dependencies),
        "risks": (old.risks, new.risks),
        "stakeholders": (old.stakeholders, new.stakeholders),
        "raci": (old.raci, new.raci),
        "parts": tuple(tuple(getattr(p, kind) for kind in PART_KINDS) for p in (old, new)),
    }
    groups = {name for name, (was, now) in parts.items() if was != now}
    if old.tasks == new.tasks:
        return Scope(frozenset(groups))
    before = {task.id: (position, task) for position, task in enumerate(old.tasks)}
    tasks = {t.id for p, t in enumerate(new.tasks) if before.get(t.id) != (p, t)}
    tasks |= before.keys() - {t.id for t in new.tasks}
    return Scope(frozenset({*groups, "tasks"}), frozenset(tasks))


def sync_plan(
    session: Session, row: ProjectRow, project: Project, *, old: Project | None = None
) -> None:
    """Store `project` in place of the plan of `row`, changing only what differs. `old`
    is the stored plan when the caller has just read it: then only the rows of the parts
    that differ are loaded and compared."""
    scope = None if old is None else changed_scope(old, project)
    have = load_rows(session, row, scope)
    made: dict[Link, Any] = {}
    for want in plan_rows(project, scope):
        existing = have.rows[want.table].pop(want.key, None)
        links = {name: _target(to, made, have) for name, to in want.links.items()}
        if existing is None:
            existing = want.table(**want.values, **_link_values(links))
            existing.project = row  # type: ignore[attr-defined]
            session.add(existing)
        else:
            _update(existing, want.values)
            _relink(existing, links)
        made[Link(want.table, want.key)] = existing
    for table in reversed(STORED_KEYS):
        for extra in have.rows.get(table, {}).values():
            session.delete(extra)
    _update(row, project_columns(project))
    session.flush()


def _target(to: Link | None, made: dict[Link, Any], have: StoredRows) -> Any:
    """The row (or, when it was not loaded, the id of the row) a link points at."""
    if to is None:
        return None
    return made[to] if to in made else have.ids[to]


def _link_values(links: dict[str, Any]) -> dict[str, Any]:
    return {(name if not isinstance(to, int) else f"{name}_id"): to for name, to in links.items()}


def _update(target: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        old = getattr(target, name)
        if old == value and not _exactly_other(old, value):
            continue
        setattr(target, name, value)
        if old == value:  # 1.0 and 1.00: equal to SQLAlchemy, another plan to its reader
            flag_modified(target, name)


def _exactly_other(old: Any, new: Any) -> bool:
    if type(old) is Decimal and type(new) is Decimal:
        return str(old) != str(new)
    return isinstance(old, bool) != isinstance(new, bool)


def _relink(target: Any, links: dict[str, Any]) -> None:
    """Point at the rows the plan says, writing a foreign key only when it moves."""
    for name, to in links.items():
        now = getattr(target, f"{name}_id")
        if isinstance(to, int):
            if now != to:
                setattr(target, f"{name}_id", to)
        elif to is not None and to.id is None:  # a row added in this sync: no id yet
            setattr(target, name, to)
        elif now != (None if to is None else to.id):
            setattr(target, name, to)
