"""Pages are Jinja2 templates; every page knows who is signed in and the CSRF token its
forms and htmx requests send back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from techpm.server.ui.viewer import Viewer

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def page(
    request: Request,
    name: str,
    *,
    viewer: Viewer | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    body = templates.get_template(name).render(
        request=request, viewer=viewer, path=request.url.path, **context
    )
    return HTMLResponse(body, status_code=status)
