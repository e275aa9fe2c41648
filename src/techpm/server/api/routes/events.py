"""A project's live events (server-sent events): plan changes, job progress and results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sse_starlette import EventSourceResponse

from techpm.server.deps import Access, ContextDep, SessionDep, permit
from techpm.server.events import HEARTBEAT_SECONDS, event_stream, waiter_of
from techpm.server.permissions import Action
from techpm.services.events import last_event_id, parse_event_id

router = APIRouter(prefix="/api/v1/projects/{key}", tags=["events"])


@router.get(
    "/events",
    summary="The project's events as a server-sent event stream, resumable with Last-Event-ID",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
def events(
    key: str,
    request: Request,
    access: Annotated[Access, permit(Action.PROJECT_READ)],
    session: SessionDep,
    context: ContextDep,
    last_event_id_query: Annotated[
        str | None,
        Query(
            alias="last_event_id",
            description="as the Last-Event-ID header, for clients that cannot set headers",
        ),
    ] = None,
) -> EventSourceResponse:
    """Without Last-Event-ID the stream starts from now; with it, every event after that id
    comes first. A heartbeat comment every 15 s keeps proxies from closing it."""
    header = request.headers.get("last-event-id")
    after = parse_event_id(header if header is not None else last_event_id_query)
    project_id = access.in_project.id
    if after is None:
        after = last_event_id(session, project_id)
    session.close()  # the stream reads with sessions of its own; none is held while it waits
    return EventSourceResponse(
        event_stream(context.sessions, project_id, after, waiter_of(request)),
        ping=HEARTBEAT_SECONDS,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
