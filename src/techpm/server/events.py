"""The live stream of a project's events as server-sent events.

A stream reads the event log with a fresh, short session per read and holds none while it
waits; what it waits on is an `EventWaiter`. The one here sleeps between polls; a fan-out
(Redis pub/sub, PostgreSQL LISTEN/NOTIFY) can replace it by waking the stream when an event
is written, set as `app.state.event_waiter`, without changing the stream or the log.

Credentials are checked when the stream is opened, not again while it runs: a token revoked
later stops working at the client's next connection (browsers reconnect by themselves, with
`Last-Event-ID`, whenever the connection drops)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker
from sse_starlette import ServerSentEvent
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from techpm.services.events import Event, events_after

POLL_SECONDS = 0.5
HEARTBEAT_SECONDS = 15
BATCH = 200  # events read at once; a long backlog comes in several reads


class EventWaiter(Protocol):
    async def wait(self, project_id: int, after_id: int) -> None:
        """Return when events after `after_id` may have been written (or after a while)."""


class PollingWaiter:
    """Waits a fixed time: the stream then reads the log again."""

    def __init__(self, seconds: float = POLL_SECONDS) -> None:
        self.seconds = seconds

    async def wait(self, project_id: int, after_id: int) -> None:
        await asyncio.sleep(self.seconds)


def waiter_of(connection: HTTPConnection) -> EventWaiter:
    waiter: EventWaiter | None = getattr(connection.app.state, "event_waiter", None)
    return waiter or PollingWaiter()


def _read(sessions: sessionmaker[Session], project_id: int, after_id: int) -> list[Event]:
    with sessions() as session:
        return events_after(session, project_id, after_id, BATCH)


def sse(event: Event) -> ServerSentEvent:
    data = {"at": event.at.isoformat(), **event.data}
    return ServerSentEvent(json.dumps(data, default=str), event=event.kind, id=str(event.id))


async def event_stream(
    sessions: sessionmaker[Session], project_id: int, after_id: int, waiter: EventWaiter
) -> AsyncIterator[ServerSentEvent]:
    """Every event after `after_id`, then each new one as it is written; endless (it ends
    when the client goes, which cancels it)."""
    cursor = after_id
    while True:
        events = await run_in_threadpool(_read, sessions, project_id, cursor)
        for event in events:
            yield sse(event)
            cursor = event.id
        if len(events) < BATCH:
            await waiter.wait(project_id, cursor)
