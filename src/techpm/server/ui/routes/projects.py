"""`/projects` (the portfolio: every project the user is in, with its dates and next
milestones) and `/projects/{key}` (one project's overview)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from techpm.server.deps import ContextDep, SessionDep
from techpm.server.ui.templating import page
from techpm.server.ui.viewer import ViewerDep
from techpm.services.overview import project_overview
from techpm.services.projects import (
    ProjectNotFoundError,
    get_project_row,
    list_projects,
    project_view,
    role_in,
)

router = APIRouter(include_in_schema=False)


@router.get("/projects")
def portfolio(
    request: Request, viewer: ViewerDep, session: SessionDep, context: ContextDep
) -> Response:
    rows = []
    for found in list_projects(session, viewer.user.id):
        row = get_project_row(session, found.key)
        rows.append((found, project_overview(session, row, plans=context.plans, now=context.now())))
    return page(request, "projects.html", viewer=viewer, projects=rows)


@router.get("/projects/{key}")
def overview(
    key: str, request: Request, viewer: ViewerDep, session: SessionDep, context: ContextDep
) -> Response:
    try:
        row = get_project_row(session, key)
    except ProjectNotFoundError:
        row = None
    role = None if row is None else role_in(session, row.id, viewer.user.id)
    if row is None or role is None:  # as the API: never say that it exists
        return page(request, "not_found.html", viewer=viewer, status=404, key=key)
    shown = project_view(session, row, role)
    summary = project_overview(session, row, plans=context.plans, now=context.now())
    return page(request, "project.html", viewer=viewer, project=shown, overview=summary)
