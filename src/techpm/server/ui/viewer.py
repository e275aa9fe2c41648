"""Who looks at a page: the user of the browser session cookie, with the CSRF token the
page's forms carry. A page asked for without a session sends the browser to `/login`,
keeping where it was going."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from techpm.domain.errors import TechpmError
from techpm.security.csrf import csrf_matches, csrf_token
from techpm.server.auth import SESSION_COOKIE
from techpm.server.context import context_of
from techpm.server.deps import get_session
from techpm.services.accounts import User
from techpm.services.web_sessions import session_user


class SignInNeeded(Exception):
    """Raised by a page without a session; answered with a redirect to the login page."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


@dataclass(frozen=True)
class Viewer:
    user: User
    csrf: str
    session_id: int


def current_viewer(request: Request, session: Session) -> Viewer | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie is None:
        return None
    context = context_of(request)
    try:
        user, session_id = session_user(session, cookie, now=context.now())
    except TechpmError:  # expired or ended
        return None
    return Viewer(user, csrf_token(context.settings.secret, cookie), session_id)


def form_csrf_ok(request: Request, sent: str | None) -> bool:
    cookie = request.cookies.get(SESSION_COOKIE)
    return cookie is not None and csrf_matches(context_of(request).settings.secret, cookie, sent)


def signed_in_viewer(request: Request, session: Annotated[Session, Depends(get_session)]) -> Viewer:
    viewer = current_viewer(request, session)
    if viewer is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInNeeded(f"/login?next={quote(target, safe='')}")
    return viewer


ViewerDep = Annotated[Viewer, Depends(signed_in_viewer)]


def safe_next(target: str | None) -> str:
    """Only a path on this site (never `//elsewhere` or a full URL) after signing in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/projects"
    return target
