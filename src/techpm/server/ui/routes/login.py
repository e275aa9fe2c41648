"""`/login` (a form with `email` and `password`; success leads to `/projects` or to the page
the browser was sent from) and `/logout`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from techpm.domain.errors import TechpmError
from techpm.server.auth import SESSION_COOKIE, set_session_cookie
from techpm.server.deps import ContextDep, SessionDep
from techpm.server.errors import status_for
from techpm.server.ui.templating import page
from techpm.server.ui.viewer import current_viewer, form_csrf_ok, safe_next
from techpm.services.accounts import authenticate
from techpm.services.web_sessions import end_session, start_session

router = APIRouter(include_in_schema=False)


@router.get("/")
def home() -> Response:
    return RedirectResponse("/projects", status_code=303)


@router.get("/login")
def login_page(request: Request, session: SessionDep, next: str | None = None) -> Response:
    if current_viewer(request, session) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "login.html", viewer=None, next=safe_next(next), email="", error=None)


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/projects",
) -> Response:
    address = request.client.host if request.client else "unknown"
    try:
        user = authenticate(
            session, email, password, address, passwords=context.passwords, limiter=context.limiter
        )
    except TechpmError as exc:
        error = {"code": exc.code, "message": exc.message}
        return page(
            request,
            "login.html",
            viewer=None,
            status=status_for(exc),
            next=safe_next(next),
            email=email,
            error=error,
        )
    token, expires_at = start_session(session, user, now=context.now())
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, request, token, expires_at, context.now())
    return response


@router.post("/logout")
def logout(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie is not None and form_csrf_ok(request, csrf_token):
        end_session(session, cookie, now=context.now())
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
