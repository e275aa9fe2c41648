"""Members of a project and their roles; managers manage those below owner, owners all."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import Response

from techpm.server.api.schemas import MemberPut
from techpm.server.deps import Access, SessionDep, forbidden, permit
from techpm.server.permissions import Action, Role, may_change_member
from techpm.services.members import list_members, member_role, remove_member, set_member

router = APIRouter(prefix="/api/v1/projects/{key}/members", tags=["members"])


def _role(label: str | None) -> Role | None:
    return None if label is None else Role.parse(label)


@router.get("", summary="Members and their roles")
def index(
    key: str, access: Annotated[Access, permit(Action.PROJECT_READ)], session: SessionDep
) -> Any:
    items = [m.as_json() for m in list_members(session, access.in_project)]
    return {"items": items, "next_cursor": None}


@router.put("/{email}", summary="Add a member or change their role")
def put(
    key: str,
    email: str,
    body: MemberPut,
    access: Annotated[Access, permit(Action.MEMBERS_MANAGE)],
    session: SessionDep,
) -> Any:
    project = access.in_project
    current = _role(member_role(session, project, email))
    new = Role.parse(body.role)
    if not may_change_member(access.role, current, new, token_scope=access.caller.scope):
        raise forbidden(access.caller, Action.OWNERS_MANAGE)
    return set_member(session, project, email, body.role).as_json()


@router.delete("/{email}", status_code=204, summary="Remove a member")
def delete(
    key: str,
    email: str,
    access: Annotated[Access, permit(Action.MEMBERS_MANAGE)],
    session: SessionDep,
) -> Response:
    project = access.in_project
    current = _role(member_role(session, project, email))
    if current is not None and not may_change_member(
        access.role, current, None, token_scope=access.caller.scope
    ):
        raise forbidden(access.caller, Action.OWNERS_MANAGE)
    remove_member(session, project, email)
    return Response(status_code=204)
