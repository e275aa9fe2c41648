"""The history of a project and of one task: every write, newest first, a page at a time."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from techpm.server.deps import Access, SessionDep, permit
from techpm.server.permissions import Action
from techpm.services.history_pages import MAX_LIMIT, history_page

router = APIRouter(prefix="/api/v1/projects/{key}", tags=["history"])
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="entries on a page")]
Cursor = Annotated[str | None, Query(description="the next_cursor of the page before")]


@router.get("/history", summary="The project's history, newest first")
def project_history(
    key: str,
    access: Annotated[Access, permit(Action.PROJECT_READ)],
    session: SessionDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    page = history_page(session, access.in_project, limit=limit, cursor=cursor)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/tasks/{task_id:path}/history", summary="One task's history, newest first")
def task_history(
    key: str,
    task_id: Annotated[str, Path(max_length=200)],
    access: Annotated[Access, permit(Action.PROJECT_READ)],
    session: SessionDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    page = history_page(session, access.in_project, task=task_id, limit=limit, cursor=cursor)
    return {"items": page.items, "next_cursor": page.next_cursor}
