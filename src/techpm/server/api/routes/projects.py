"""Projects: list mine, create one (I become its owner), read, rename, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from techpm.server.api.schemas import ProjectCreate, ProjectUpdate
from techpm.server.deps import Access, ContextDep, SessionDep, permit
from techpm.server.http import if_match, not_modified, versioned
from techpm.server.permissions import Action
from techpm.services.plans import check_project_version, starter_start, update_info
from techpm.services.projects import (
    create_project,
    delete_project,
    list_projects,
    project_view,
    starter_plan,
)

router = APIRouter(prefix="/api/v1/projects", tags=["projects"])


@router.get("", summary="The projects I am a member of")
def index(access: Annotated[Access, permit(Action.ACCOUNT_READ)], session: SessionDep) -> Any:
    items = [view.as_json() for view in list_projects(session, access.caller.user.id)]
    return {"items": items, "next_cursor": None}


@router.post("", status_code=201, summary="Create a project; I become its owner")
def create(
    body: ProjectCreate,
    access: Annotated[Access, permit(Action.PROJECT_CREATE)],
    session: SessionDep,
    context: ContextDep,
) -> Any:
    now = context.now()
    plan = starter_plan(body.name, starter_start(body.start, now), body.description)
    row = create_project(session, key=body.key, plan=plan, actor=access.actor, now=now)
    view = project_view(session, row, "owner")
    return versioned(
        view.as_json(), row.version, status=201, Location=f"/api/v1/projects/{row.key}"
    )


@router.get("/{key}", summary="One project")
def show(
    key: str,
    request: Request,
    access: Annotated[Access, permit(Action.PROJECT_READ)],
    session: SessionDep,
) -> Any:
    row = access.in_project
    cached = not_modified(request, row.version)
    if cached is not None:
        return cached
    role = access.role.label if access.role else None
    return versioned(project_view(session, row, role).as_json(), row.version)


@router.patch("/{key}", summary="Rename or change the project's settings (If-Match)")
def update(
    key: str,
    body: ProjectUpdate,
    request: Request,
    access: Annotated[Access, permit(Action.PROJECT_UPDATE)],
    session: SessionDep,
    context: ContextDep,
) -> Any:
    row = access.in_project
    changes = body.model_dump(exclude_unset=True)
    update_info(
        session, row, changes, expected=if_match(request), actor=access.actor, now=context.now()
    )
    session.refresh(row)
    role = access.role.label if access.role else None
    return versioned(project_view(session, row, role).as_json(), row.version)


@router.delete("/{key}", status_code=204, summary="Delete the project and all in it (If-Match)")
def remove(
    key: str,
    request: Request,
    access: Annotated[Access, permit(Action.PROJECT_DELETE)],
    session: SessionDep,
) -> Response:
    row = access.in_project
    check_project_version(session, row, if_match(request))
    delete_project(session, row)
    return Response(status_code=204)
