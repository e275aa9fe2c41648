"""Who is calling: a bearer token (personal or from a password login) or a browser session
cookie. A cookie alone never authorises an unsafe method: the CSRF token must come with it,
in a header a cross-site form cannot set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from techpm.security.csrf import csrf_matches
from techpm.security.tokens import TokenError, TokenScope
from techpm.server.context import context_of
from techpm.server.errors import ApiError
from techpm.services.accounts import User, check_token
from techpm.services.web_sessions import session_user

SESSION_COOKIE = "techpm_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Caller:
    user: User
    scope: TokenScope
    token_id: int | None = None  # the token the request came with
    session_id: int | None = None  # or the browser session


def unauthenticated(message: str = "sign in: send `Authorization: Bearer TOKEN`") -> ApiError:
    return ApiError(
        message,
        code="auth.unauthenticated",
        status=401,
        headers={"WWW-Authenticate": 'Bearer realm="techpm"'},
    )


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise unauthenticated("Authorization: use the Bearer scheme with a techpm token")
    return value.strip()


def resolve_caller(request: Request, session: Session) -> Caller:
    context = context_of(request)
    now = context.now()
    token = bearer_token(request)
    if token is not None:
        try:
            grant = check_token(session, token, now=lambda: now)
        except TokenError as exc:  # invalid, revoked or expired
            raise ApiError(
                exc.message, code=exc.code, status=401, headers={"WWW-Authenticate": "Bearer"}
            ) from None
        return Caller(grant.user, grant.scope, token_id=grant.token_id)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie is None:
        raise unauthenticated()
    user, session_id = session_user(session, cookie, now=now)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        if not csrf_matches(context.settings.secret, cookie, sent):
            raise ApiError(
                f"a request signed in by the session cookie needs the {CSRF_HEADER} header",
                code="auth.csrf",
                status=403,
            )
    return Caller(user, "write", session_id=session_id)


def set_session_cookie(
    response: Response, request: Request, token: str, expires_at: datetime, now: datetime
) -> None:
    """The browser session's cookie: HttpOnly, SameSite=Lax, Secure behind https."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int((expires_at - now).total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
