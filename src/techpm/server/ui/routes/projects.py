"""`/projects` (the portfolio: every project the user is in, with its dates and next
milestones) and `/projects/{key}` (one project's overview)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from techpm.persistence.rows import ProjectRow
from techpm.server.deps import ContextDep, SessionDep
from techpm.server.permissions import Action, Role, allowed
from techpm.server.ui.templating import page
from techpm.server.ui.viewer import Viewer, ViewerDep
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


def _project(session: Session, key: str, viewer: Viewer) -> tuple[ProjectRow, str] | None:
    """The project and the viewer's role in it; None when they are not a member (as the API
    answers: never say that it exists)."""
    try:
        row = get_project_row(session, key)
    except ProjectNotFoundError:
        return None
    role = role_in(session, row.id, viewer.user.id)
    return None if role is None else (row, role)


@router.get("/projects/{key}")
def overview(
    key: str, request: Request, viewer: ViewerDep, session: SessionDep, context: ContextDep
) -> Response:
    found = _project(session, key, viewer)
    if found is None:
        return page(request, "not_found.html", viewer=viewer, status=404, key=key)
    row, role = found
    shown = project_view(session, row, role)
    summary = project_overview(session, row, plans=context.plans, now=context.now())
    return page(request, "project.html", viewer=viewer, project=shown, overview=summary)


@router.get("/projects/{key}/gantt")
def gantt(key: str, request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    """The chart is drawn in the browser from `GET /api/v1/projects/{key}/schedule` (its
    JSON twin) and edited through the same API."""
    found = _project(session, key, viewer)
    if found is None:
        return page(request, "not_found.html", viewer=viewer, status=404, key=key)
    row, role = found
    editable = allowed(Role.parse(role), Action.TASKS_WRITE)
    shown = project_view(session, row, role)
    return page(request, "gantt.html", viewer=viewer, project=shown, editable=editable)
