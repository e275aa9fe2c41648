"""Accounts: who am I, and (for instance admins) creating and listing users."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from techpm.server.api.schemas import UserCreate
from techpm.server.deps import Access, ContextDep, SessionDep, permit
from techpm.server.permissions import Action
from techpm.services.accounts import User, add_user, list_users

router = APIRouter(prefix="/api/v1/users", tags=["users"])


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "admin": user.is_admin,
        "created_at": user.created_at.isoformat(),
    }


@router.get("/me", summary="The signed-in user")
def me(access: Annotated[Access, permit(Action.ACCOUNT_READ)]) -> Any:
    return {**user_json(access.caller.user), "token_scope": access.caller.scope}


@router.post("", status_code=201, summary="Create a user (instance admins)")
def create(
    body: UserCreate,
    access: Annotated[Access, permit(Action.USERS_MANAGE)],
    session: SessionDep,
    context: ContextDep,
) -> Any:
    user = add_user(
        session,
        body.email,
        name=body.name,
        password=body.password,
        is_admin=body.admin,
        passwords=context.passwords,
        now=context.now,
    )
    return user_json(user)


@router.get("", summary="Every user (instance admins)")
def index(access: Annotated[Access, permit(Action.USERS_READ)], session: SessionDep) -> Any:
    return {"items": [user_json(u) for u in list_users(session)], "next_cursor": None}
