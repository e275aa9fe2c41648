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
from techpm.persistence.mappers import Link, plan_rows, project_columns, unique_key
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
    """A project's plan rows by table and key, as loaded for one sync."""

    rows: dict[type[Base], dict[tuple[Any, ...], Any]] = field(default_factory=dict)
    keys: dict[tuple[type[Base], int], tuple[Any, ...]] = field(default_factory=dict)


def load_rows(session: Session, row: ProjectRow) -> StoredRows:
    """Every plan row of the project, keyed as `plan_rows` keys the plan's."""
    stored = StoredRows()
    seen: dict[tuple[Any, ...], int] = {}

    def key_of(table: type[Base], row_id: int) -> tuple[Any, ...]:
        return stored.keys[table, row_id]

    for table, natural in STORED_KEYS.items():
        query = select(table).where(table.project_id == row.id)  # type: ignore[attr-defined]
        found: Sequence[Any] = session.scalars(query.order_by(table.position, table.id)).all()  # type: ignore[attr-defined]
        by_key = stored.rows[table] = {}
        for item in found:
            key = unique_key(seen, table, natural(item, key_of))
            by_key[key] = item
            stored.keys[table, item.id] = key
    return stored


def sync_plan(
    session: Session, row: ProjectRow, project: Project, *, stored: StoredRows | None = None
) -> None:
    """Store `project` in place of the plan of `row`, changing only what differs. `stored`
    is the rows as `load_rows` gave them, when the caller has them already."""
    have = stored or load_rows(session, row)
    made: dict[Link, Any] = {}
    for want in plan_rows(project):
        existing = have.rows[want.table].pop(want.key, None)
        links = {name: made[to] if to else None for name, to in want.links.items()}
        if existing is None:
            existing = want.table(**want.values, **links)
            existing.project = row  # type: ignore[attr-defined]
            session.add(existing)
        else:
            _update(existing, want.values)
            _relink(existing, links)
        made[Link(want.table, want.key)] = existing
    for table in reversed(STORED_KEYS):
        for extra in have.rows[table].values():
            session.delete(extra)
        have.rows[table] = {}
    _update(row, project_columns(project))
    session.flush()


def _update(target: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        old = getattr(target, name)
        if old == value and not _exactly_other(old, value):
            continue
        setattr(target, name, value)
        if old == value:  # 1.0 and 1.00: equal to SQLAlchemy, another plan to its reader
            flag_modified(target, name)


def _exactly_other(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return str(old) != str(new)
    return isinstance(old, bool) != isinstance(new, bool)


def _relink(target: Any, links: dict[str, Any]) -> None:
    """Point at the rows the plan says, writing a foreign key only when it moves."""
    for name, to in links.items():
        now = getattr(target, f"{name}_id")
        wanted = None if to is None else to.id
        if to is not None and wanted is None:  # a row added in this sync: no id yet
            setattr(target, name, to)
        elif now != wanted:
            setattr(target, name, to)
