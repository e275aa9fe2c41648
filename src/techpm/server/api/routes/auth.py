"""Signing in: a bearer token for scripts and the CLI, a session cookie for the browser."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from techpm.security.csrf import csrf_token
from techpm.server.api.schemas import Login
from techpm.server.auth import SESSION_COOKIE, set_session_cookie
from techpm.server.deps import Access, ContextDep, SessionDep, permit
from techpm.server.errors import ApiError
from techpm.server.permissions import Action
from techpm.services.accounts import authenticate, create_token
from techpm.services.web_sessions import end_session, start_session

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
LOGIN_TOKEN_DAYS = 30


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/token", status_code=201, summary="Log in with e-mail and password")
def login_token(body: Login, request: Request, session: SessionDep, context: ContextDep) -> Any:
    user = authenticate(
        session,
        body.email,
        body.password,
        _address(request),
        passwords=context.passwords,
        limiter=context.limiter,
    )
    created = create_token(
        session,
        user.email,
        name="login",
        scope="write",
        expires_in_days=LOGIN_TOKEN_DAYS,
        now=context.now,
    )
    expires = created.expires_at.isoformat() if created.expires_at else None
    return {"token": created.token, "token_type": "bearer", "expires_at": expires}


@router.post("/session", status_code=201, summary="Log in the browser (sets a session cookie)")
def login_session(body: Login, request: Request, session: SessionDep, context: ContextDep) -> Any:
    user = authenticate(
        session,
        body.email,
        body.password,
        _address(request),
        passwords=context.passwords,
        limiter=context.limiter,
    )
    token, expires_at = start_session(session, user, now=context.now())
    response = JSONResponse(
        {
            "csrf_token": csrf_token(context.settings.secret, token),
            "expires_at": expires_at.isoformat(),
            "user": {"email": user.email, "name": user.name, "admin": user.is_admin},
        },
        status_code=201,
    )
    set_session_cookie(response, request, token, expires_at, context.now())
    return response


@router.get("/session", summary="The CSRF token of the browser session")
def session_info(
    request: Request, access: Annotated[Access, permit(Action.ACCOUNT_READ)], context: ContextDep
) -> Any:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie is None or access.caller.session_id is None:
        raise ApiError("no browser session", code="auth.no_session", status=404)
    return {"csrf_token": csrf_token(context.settings.secret, cookie)}


@router.delete("/session", status_code=204, summary="Log the browser out")
def logout(
    request: Request,
    access: Annotated[Access, permit(Action.ACCOUNT_READ)],
    session: SessionDep,
    context: ContextDep,
) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie is not None:
        end_session(session, cookie, now=context.now())
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
