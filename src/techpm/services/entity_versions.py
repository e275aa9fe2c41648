"""The version of one entity inside a project (a task, a risk, a dependency ...): the project
version of the last write that changed it, read from the history. Unlike a row's own
counter it covers every row the entity spans (a task's links and assignments too), it only
grows, and "what changed since" is the history after it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from techpm.persistence.rows import ChangeSetRow, FieldChangeRow, ProjectRow


def entity_versions(session: Session, row: ProjectRow, entity: str) -> dict[str, int]:
    """Key -> version of every entity of a kind that the history knows."""
    query = (
        select(FieldChangeRow.entity_key, func.max(ChangeSetRow.project_version))
        .join(ChangeSetRow, FieldChangeRow.change_set_id == ChangeSetRow.id)
        .where(ChangeSetRow.project_id == row.id, FieldChangeRow.entity == entity)
        .group_by(FieldChangeRow.entity_key)
    )
    return {str(key): int(version) for key, version in session.execute(query)}


def entity_version(session: Session, row: ProjectRow, entity: str, key: str) -> int:
    """One entity's version; 1 (the project's first) when the history never names it."""
    query = (
        select(func.max(ChangeSetRow.project_version))
        .join(FieldChangeRow, FieldChangeRow.change_set_id == ChangeSetRow.id)
        .where(
            ChangeSetRow.project_id == row.id,
            FieldChangeRow.entity == entity,
            FieldChangeRow.entity_key == key,
        )
    )
    found = session.scalar(query)
    return 1 if found is None else int(found)
