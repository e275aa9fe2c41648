"""`/projects/{key}/members`: who is in the project; managers and owners change roles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from techpm.domain.errors import TechpmError
from techpm.persistence.rows import ProjectRow
from techpm.server.deps import SessionDep
from techpm.server.errors import status_for
from techpm.server.permissions import Role, may_change_member
from techpm.server.ui.access import member_project
from techpm.server.ui.templating import page
from techpm.server.ui.viewer import Viewer, ViewerDep, form_csrf_ok
from techpm.services.members import list_members, member_role, remove_member, set_member
from techpm.services.projects import project_view

router = APIRouter(include_in_schema=False)


@router.get("/projects/{key}/members")
def members(key: str, request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    """Members and roles (JSON twin: `GET /api/v1/projects/{key}/members`); managers and
    owners change them here, within what the permission table lets them."""
    found = member_project(session, key, viewer)
    if found is None:
        return page(request, "not_found.html", viewer=viewer, status=404, key=key)
    return _members(request, viewer, session, *found)


def _members(
    request: Request,
    viewer: Viewer,
    session: Session,
    row: ProjectRow,
    role: str,
    *,
    status: int = 200,
    error: dict[str, str] | None = None,
) -> Response:
    me = Role.parse(role)
    listed = [
        (m, [r.label for r in Role if may_change_member(me, Role.parse(m.role), r)])
        for m in list_members(session, row)
    ]
    may_add = [r.label for r in Role if may_change_member(me, None, r)]
    return page(
        request,
        "members.html",
        viewer=viewer,
        project=project_view(session, row, role),
        members=listed,
        may_add=may_add,
        status=status,
        error=error,
    )


@router.post("/projects/{key}/members")
def change_member(
    key: str,
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    email: Annotated[str, Form(max_length=320)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    found = member_project(session, key, viewer)
    if found is None:
        return page(request, "not_found.html", viewer=viewer, status=404, key=key)
    row, mine = found
    try:
        if not form_csrf_ok(request, csrf_token):
            raise TechpmError("reload the page and send the form again", code="auth.csrf")
        new = None if role == "remove" else Role.parse(role)
        current_label = member_role(session, row, email)
        current = None if current_label is None else Role.parse(current_label)
        if not may_change_member(Role.parse(mine), current, new):
            raise TechpmError(
                f"your role does not allow making {email} {role}", code="auth.forbidden"
            )
        if new is None:
            remove_member(session, row, email)
        else:
            set_member(session, row, email, new.label)
    except (TechpmError, ValueError) as exc:
        session.rollback()
        code = exc.code if isinstance(exc, TechpmError) else "member.bad_role"
        message = exc.message if isinstance(exc, TechpmError) else str(exc)
        status = status_for(exc) if isinstance(exc, TechpmError) else 422
        return _members(
            request,
            viewer,
            session,
            row,
            mine,
            status=status,
            error={"code": code, "message": message},
        )
    return RedirectResponse(f"/projects/{row.key}/members", status_code=303)
