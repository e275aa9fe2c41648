"""Personal API tokens: created by their owner, shown once, revoked at once."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path

from techpm.server.api.schemas import TokenCreate
from techpm.server.deps import Access, ContextDep, SessionDep, permit
from techpm.server.permissions import Action
from techpm.services.accounts import create_token, list_tokens, revoke_token

router = APIRouter(prefix="/api/v1/tokens", tags=["tokens"])


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@router.post("", status_code=201, summary="Create a personal token (shown once)")
def create(
    body: TokenCreate,
    access: Annotated[Access, permit(Action.TOKENS_MANAGE)],
    session: SessionDep,
    context: ContextDep,
) -> Any:
    created = create_token(
        session,
        access.caller.user.email,
        name=body.name,
        scope=body.scope,
        expires_in_days=body.expires_in_days,
        now=context.now,
    )
    return {
        "id": created.id,
        "token": created.token,
        "name": body.name,
        "scope": created.scope,
        "expires_at": _when(created.expires_at),
    }


@router.get("", summary="My tokens (never their values)")
def index(access: Annotated[Access, permit(Action.ACCOUNT_READ)], session: SessionDep) -> Any:
    items = [
        {
            "id": t.id,
            "name": t.name,
            "hint": t.hint,
            "scope": t.scope,
            "created_at": _when(t.created_at),
            "expires_at": _when(t.expires_at),
            "revoked_at": _when(t.revoked_at),
        }
        for t in list_tokens(session, access.caller.user.id)
    ]
    return {"items": items, "next_cursor": None}


@router.delete("/{token_id}", status_code=204, summary="Revoke one of my tokens")
def revoke(
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    access: Annotated[Access, permit(Action.TOKENS_MANAGE)],
    session: SessionDep,
    context: ContextDep,
) -> None:
    revoke_token(session, token_id, now=context.now, owner_id=access.caller.user.id)
