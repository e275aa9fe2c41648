"""The history of a project or of one task, a page at a time, newest first (like an issue's
history in Jira): who, when, through what, and each field's old and new value. A cursor is
the id of the last change set on the page before; it is opaque to clients."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from techpm.domain.errors import TaskNotFoundError, TechpmError
from techpm.persistence.rows import ProjectRow, TaskRow
from techpm.services.history import HistoryEntry, project_history

MAX_LIMIT = 500
MAX_CURSOR_DIGITS = 18


class BadCursorError(TechpmError):
    code = "request.bad_cursor"


@dataclass(frozen=True)
class HistoryPage:
    items: list[dict[str, Any]]
    next_cursor: str | None


def parse_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isdigit() or not cursor.isascii() or len(cursor) > MAX_CURSOR_DIGITS:
        raise BadCursorError(f"cursor: {cursor!r} is not a cursor this server gave out")
    return int(cursor)


def entry_json(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "via": entry.via,
        "version": entry.project_version,
        "summary": entry.summary,
        "changes": [c.as_json() for c in entry.changes],
    }


def history_page(
    session: Session,
    row: ProjectRow,
    *,
    task: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> HistoryPage:
    """One page of the project's history, or of the task's; a task that is gone still has
    its history, a task that never was is `task.not_found`."""
    before = parse_cursor(cursor)
    limit = max(1, min(limit, MAX_LIMIT))
    entity, key = ("task", task) if task is not None else (None, None)
    entries = project_history(session, row, entity=entity, key=key, limit=limit + 1, before=before)
    if task is not None and not entries and before is None and not _task_exists(session, row, task):
        raise TaskNotFoundError(f"no task {task!r} in {row.key}")
    page = entries[:limit]
    more = len(entries) > limit
    return HistoryPage([entry_json(e) for e in page], str(page[-1].id) if more and page else None)


def _task_exists(session: Session, row: ProjectRow, task: str) -> bool:
    found = session.scalar(
        select(TaskRow.id).where(TaskRow.project_id == row.id, TaskRow.key == task).limit(1)
    )
    return found is not None
