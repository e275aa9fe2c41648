"""`/projects/{key}/history`: every write, newest first, for the project or one task."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from techpm.domain.errors import TechpmError
from techpm.server.deps import SessionDep
from techpm.server.errors import status_for
from techpm.server.ui.access import member_project
from techpm.server.ui.templating import page
from techpm.server.ui.viewer import ViewerDep
from techpm.services.history_pages import history_page
from techpm.services.projects import project_view

router = APIRouter(include_in_schema=False)


@router.get("/projects/{key}/history")
def history(
    key: str,
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    task: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Who changed what, newest first (JSON twin: `GET /api/v1/projects/{key}/history`, or
    `.../tasks/{id}/history` with `?task=`)."""
    found = member_project(session, key, viewer)
    if found is None:
        return page(request, "not_found.html", viewer=viewer, status=404, key=key)
    row, role = found
    shown = project_view(session, row, role)
    try:
        entries = history_page(session, row, task=task, limit=50, cursor=cursor)
    except TechpmError as exc:
        return page(request, "not_found.html", viewer=viewer, status=status_for(exc), key=key)
    return page(
        request,
        "history.html",
        viewer=viewer,
        project=shown,
        entries=entries.items,
        next_cursor=entries.next_cursor,
        task=task,
    )
