"""`/projects/{key}/gantt`: the chart, drawn in the browser by static/gantt.js."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from techpm.server.deps import SessionDep
from techpm.server.permissions import Action, Role, allowed
from techpm.server.ui.access import member_project
from techpm.server.ui.templating import page
from techpm.server.ui.viewer import ViewerDep
from techpm.services.projects import project_view

router = APIRouter(include_in_schema=False)


@router.get("/projects/{key}/gantt")
def gantt(key: str, request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    """The chart is drawn in the browser from `GET /api/v1/projects/{key}/schedule` (its
    JSON twin) and edited through the same API."""
    found = member_project(session, key, viewer)
    if found is None:
        return page(request, "not_found.html", viewer=viewer, status=404, key=key)
    row, role = found
    editable = allowed(Role.parse(role), Action.TASKS_WRITE)
    shown = project_view(session, row, role)
    return page(request, "gantt.html", viewer=viewer, project=shown, editable=editable)
