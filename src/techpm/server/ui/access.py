"""The project a page names, for a viewer who is a member of it (else the page answers 404,
as the API does: never say that a project exists)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from techpm.persistence.rows import ProjectRow
from techpm.server.ui.viewer import Viewer
from techpm.services.projects import ProjectNotFoundError, get_project_row, role_in


def member_project(session: Session, key: str, viewer: Viewer) -> tuple[ProjectRow, str] | None:
    """The project and the viewer's role in it; None when they are not a member (as the API
    answers: never say that it exists)."""
    try:
        row = get_project_row(session, key)
    except ProjectNotFoundError:
        return None
    role = role_in(session, row.id, viewer.user.id)
    return None if role is None else (row, role)
