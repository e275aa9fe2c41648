"""`/projects/{key}/risks` (the register and a simulation job) and `/projects/{key}/report`
(the status report's preview and downloads)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from techpm.server.deps import ContextDep, SessionDep
from techpm.server.ui.access import member_project
from techpm.server.ui.templating import page
from techpm.server.ui.viewer import ViewerDep
from techpm.services.collections import COLLECTIONS
from techpm.services.collections.listing import MAX_LIMIT, ListQuery
from techpm.services.collections.service import list_entities
from techpm.services.projects import project_view

router = APIRouter(include_in_schema=False)


@router.get("/projects/{key}/risks")
def risks(
    key: str, request: Request, viewer: ViewerDep, session: SessionDep, context: ContextDep
) -> Response:
    """The risk register (JSON twin: `GET /api/v1/projects/{key}/risks`) and a simulation
    run as a job (`POST .../simulations`, then `GET /api/v1/jobs/{id}`) with its progress."""
    found = member_project(session, key, viewer)
    if found is None:
        return page(request, "not_found.html", viewer=viewer, status=404, key=key)
    row, role = found
    shown = project_view(session, row, role)
    register = list_entities(
        session,
        row,
        COLLECTIONS["risks"],
        ListQuery(limit=MAX_LIMIT),
        plans=context.plans,
        now=context.now(),
    )
    return page(request, "risks.html", viewer=viewer, project=shown, risks=register.items)


@router.get("/projects/{key}/report")
def report(key: str, request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    """The status report: a preview of the HTML edition and the downloads, all served by
    `GET /api/v1/projects/{key}/report?format=` (its JSON twin is the API's report)."""
    found = member_project(session, key, viewer)
    if found is None:
        return page(request, "not_found.html", viewer=viewer, status=404, key=key)
    row, role = found
    shown = project_view(session, row, role)
    return page(request, "report.html", viewer=viewer, project=shown)
