"""`/projects` (the portfolio: every project the user is in, with its dates and next
milestones) and `/projects/{key}` (one project's overview)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from techpm.domain.errors import TechpmError
from techpm.persistence.rows import ProjectRow
from techpm.server.context import ServerContext
from techpm.server.deps import ContextDep, SessionDep
from techpm.server.errors import status_for
from techpm.server.permissions import Action, Role, allowed
from techpm.server.ui.templating import page
from techpm.server.ui.viewer import Viewer, ViewerDep, form_csrf_ok
from techpm.services.collections import COLLECTIONS
from techpm.services.collections.listing import MAX_LIMIT, ListQuery
from techpm.services.collections.service import list_entities
from techpm.services.exchange import IMPORTERS
from techpm.services.history_pages import history_page
from techpm.services.overview import project_overview
from techpm.services.plan_store import Actor
from techpm.services.plans import project_from_upload
from techpm.services.projects import (
    ProjectNotFoundError,
    get_project_row,
    list_projects,
    project_view,
    role_in,
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


@router.get("/projects/{key}/report")
def report(key: str, request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    """The status report: a preview of the HTML edition and the downloads, all served by
    `GET /api/v1/projects/{key}/report?format=` (its JSON twin is the API's report)."""
    found = _project(session, key, viewer)
    if found is None:
        return page(request, "not_found.html", viewer=viewer, status=404, key=key)
    row, role = found
    shown = project_view(session, row, role)
    return page(request, "report.html", viewer=viewer, project=shown)


@router.get("/projects/{key}/risks")
def risks(
    key: str, request: Request, viewer: ViewerDep, session: SessionDep, context: ContextDep
) -> Response:
    """The risk register (JSON twin: `GET /api/v1/projects/{key}/risks`) and a simulation
    run as a job (`POST .../simulations`, then `GET /api/v1/jobs/{id}`) with its progress."""
    found = _project(session, key, viewer)
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
    found = _project(session, key, viewer)
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
