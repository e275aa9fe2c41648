"""A project's history as `write_plan` recorded it: each write (who, when, through what, the
version it produced) with its changes in plan-file terms; one entity's own history; and
everything that changed after a version, which is what a client holding a stale version
needs to see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from techpm.persistence.rows import ChangeSetRow, FieldChangeRow, ProjectRow
from techpm.services.plan_diff import Change

LARGEST = 2**31 - 1  # an id or version column holds no more; a larger cursor bounds nothing


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: datetime
    actor: str
    via: str
    project_version: int
    summary: str
    changes: tuple[Change, ...]


def project_history(
    session: Session,
    row: ProjectRow,
    *,
    entity: str | None = None,
    key: str | None = None,
    limit: int = 50,
    before: int | None = None,
) -> list[HistoryEntry]:
    """Newest first, at most `limit` entries with ids below `before`. With `entity` (and
    `key`), only the writes that touched it, each with only its changes."""
    touching = _touching(entity, key)
    query = select(ChangeSetRow).where(ChangeSetRow.project_id == row.id)
    if before is not None:
        query = query.where(ChangeSetRow.id < _bounded(before))
    if touching:
        query = query.where(
            select(FieldChangeRow.id)
            .where(FieldChangeRow.change_set_id == ChangeSetRow.id, *touching)
            .exists()
        )
    sets = session.scalars(query.order_by(ChangeSetRow.id.desc()).limit(limit)).all()
    changes = _changes(session, [s.id for s in sets], touching)
    return [
        HistoryEntry(
            id=s.id,
            at=s.at,
            actor=s.actor,
            via=s.via,
            project_version=s.project_version,
            summary=s.summary,
            changes=tuple(changes[s.id]),
        )
        for s in sets
    ]


def changes_since(session: Session, row: ProjectRow, version: int) -> list[Change]:
    """Every change made after project version `version`, oldest first."""
    query = (
        select(FieldChangeRow)
        .join(ChangeSetRow, FieldChangeRow.change_set_id == ChangeSetRow.id)
        .where(ChangeSetRow.project_id == row.id, ChangeSetRow.project_version > _bounded(version))
        .order_by(ChangeSetRow.id, FieldChangeRow.id)
    )
    return [_change(c) for c in session.scalars(query)]


def _bounded(number: int) -> int:
    return max(-LARGEST, min(number, LARGEST))


def _touching(entity: str | None, key: str | None) -> list[Any]:
    conditions = []
    if entity is not None:
        conditions.append(FieldChangeRow.entity == entity)
    if key is not None:
        conditions.append(FieldChangeRow.entity_key == key)
    return conditions


def _changes(session: Session, set_ids: list[int], touching: list[Any]) -> dict[int, list[Change]]:
    out: dict[int, list[Change]] = defaultdict(list)
    if not set_ids:
        return out
    query = select(FieldChangeRow).where(FieldChangeRow.change_set_id.in_(set_ids), *touching)
    for c in session.scalars(query.order_by(FieldChangeRow.id)):
        out[c.change_set_id].append(_change(c))
    return out


def _change(row: FieldChangeRow) -> Change:
    return Change(row.entity, row.entity_key, row.action, row.field, row.old, row.new)  # type: ignore[arg-type]
