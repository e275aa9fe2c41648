"""The project's event log read for the live stream: what happened after a given event id,
and the last id (where a stream without Last-Event-ID begins). Each read is one short query,
so a stream can poll with a fresh session and hold none while it waits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from techpm.domain.errors import TechpmError
from techpm.persistence.rows import EventRow

MAX_EVENT_ID_DIGITS = 18


class BadEventIdError(TechpmError):
    code = "request.bad_last_event_id"


@dataclass(frozen=True)
class Event:
    id: int
    at: datetime
    kind: str  # plan.changed, job.progress, job.finished...
    data: dict[str, Any]


def parse_event_id(text: str | None) -> int | None:
    """A `Last-Event-ID` as a client sends it back: the decimal id of an event, or absent."""
    if text is None:
        return None
    value = text.strip()
    if not value.isascii() or not value.isdigit() or len(value) > MAX_EVENT_ID_DIGITS:
        raise BadEventIdError(f"Last-Event-ID: {text!r} is not an event id this server sent")
    return int(value)


def events_after(session: Session, project_id: int, after_id: int, limit: int) -> list[Event]:
    """The project's events with an id above `after_id`, oldest first, at most `limit`."""
    rows = session.scalars(
        select(EventRow)
        .where(EventRow.project_id == project_id, EventRow.id > after_id)
        .order_by(EventRow.id)
        .limit(limit)
    )
    return [Event(r.id, r.at, r.kind, dict(r.data)) for r in rows]


def last_event_id(session: Session, project_id: int) -> int:
    """The id a stream that wants only new events starts after (0 for none yet)."""
    found = session.scalar(select(func.max(EventRow.id)).where(EventRow.project_id == project_id))
    return int(found or 0)
