"""The web app's routes, static files and the redirect to `/login` for a page asked for
without a session."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from techpm.server.ui.routes import board, gantt, history, login, members, projects, reports
from techpm.server.ui.templating import STATIC
from techpm.server.ui.viewer import SignInNeeded

PAGES = (login, projects, gantt, board, reports, history, members)


async def _sign_in(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInNeeded)
    return RedirectResponse(exc.target, status_code=303)


def install_pages(app: FastAPI) -> None:
    for module in PAGES:
        app.include_router(module.router)
    app.add_exception_handler(SignInNeeded, _sign_in)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
