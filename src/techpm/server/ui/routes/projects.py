"""`/projects` (the portfolio: every project the user is in, with its dates and next
milestones) and `/projects/{key}` (one project's overview)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from techpm.domain.errors import TechpmError
from techpm.server.context import ServerContext
from techpm.server.deps import ContextDep, SessionDep
from techpm.server.errors import status_for
from techpm.server.ui.access import member_project
from techpm.server.ui.templating import page
from techpm.server.ui.viewer import Viewer, ViewerDep, form_csrf_ok
from techpm.services.exchange import IMPORTERS
from techpm.services.overview import project_overview
from techpm.services.plan_store import Actor
from techpm.services.plans import project_from_upload
from techpm.services.projects import (
    get_project_row,
    list_projects,
    project_view,
)

router = APIRouter(include_in_schema=False)


def _portfolio(
    request: Request,
    viewer: Viewer,
    session: Session,
    context: ServerContext,
    *,
    status: int = 200,
    form: dict[str, str] | None = None,
    error: dict[str, str] | None = None,
) -> Response:
    rows = []
    for found in list_projects(session, viewer.user.id):
        row = get_project_row(session, found.key)
        rows.append((found, project_overview(session, row, plans=context.plans, now=context.now())))
    return page(
        request,
        "projects.html",
        viewer=viewer,
        projects=rows,
        status=status,
        form=form or {},
        error=error,
        formats=["auto", *IMPORTERS],
    )


@router.get("/projects")
def portfolio(
    request: Request, viewer: ViewerDep, session: SessionDep, context: ContextDep
) -> Response:
    return _portfolio(request, viewer, session, context)


@router.post("/projects/new")
def new_project(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    context: ContextDep,
    file: Annotated[UploadFile, File(description="the plan to start from")],
    key: Annotated[str, Form(max_length=20)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    format: Annotated[str, Form(max_length=20)] = "auto",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A project from an MS Project, Jira, GanttProject, Trello ... file or a plan file."""
    form = {"key": key, "name": name, "format": format}
    if not form_csrf_ok(request, csrf_token):
        error = {"field": "csrf_token", "code": "auth.csrf", "message": "reload the page"}
        return _portfolio(request, viewer, session, context, status=403, form=form, error=error)
    content = file.file.read(context.max_body_bytes + 1)
    try:
        if len(content) > context.max_body_bytes:
            raise TechpmError("file: larger than the upload limit", code="request.too_large")
        actor = Actor(viewer.user.id, viewer.user.email, "import")
        project_from_upload(
            session,
            key=key.strip().upper(),
            name=name.strip() or None,
            content=content,
            filename=file.filename,
            fmt=format,
            actor=actor,
            now=context.now(),
        )
    except TechpmError as exc:
        session.rollback()
        field = exc.message.split(":", 1)[0] if ":" in exc.message else "file"
        error = {
            "field": field if field in form else "file",
            "code": exc.code,
            "message": exc.message,
        }
        return _portfolio(
            request, viewer, session, context, status=status_for(exc), form=form, error=error
        )
    return RedirectResponse(f"/projects/{key.strip().upper()}/gantt", status_code=303)


@router.get("/projects/{key}")
def overview(
    key: str, request: Request, viewer: ViewerDep, session: SessionDep, context: ContextDep
) -> Response:
    found = member_project(session, key, viewer)
    if found is None:
        return page(request, "not_found.html", viewer=viewer, status=404, key=key)
    row, role = found
    shown = project_view(session, row, role)
    summary = project_overview(session, row, plans=context.plans, now=context.now())
    return page(request, "project.html", viewer=viewer, project=shown, overview=summary)
