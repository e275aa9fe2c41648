"""The plan as a whole: read and replace the plan file, import another tool's file, export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from techpm.server.deps import Access, ContextDep, SessionDep, permit
from techpm.server.errors import ApiError
from techpm.server.http import body_bytes, etag, if_match, not_modified, versioned
from techpm.server.permissions import Action
from techpm.services.plan_store import PlanWrite
from techpm.services.plans import (
    EXPORT_MEDIA,
    export_content,
    import_upload,
    plan_json_text,
    plan_text,
    plan_yaml_text,
    replace_plan_text,
)

router = APIRouter(prefix="/api/v1/projects/{key}", tags=["plan"])
YAML = "application/yaml"
PLAN_TYPES = (
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    "application/json",
    "text/plain",
)


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "yaml" not in accept


def write_answer(written: PlanWrite) -> dict[str, Any]:
    return {
        "version": written.version,
        "change_set": written.change_set_id,
        "changes": len(written.changes),
    }


@router.get(
    "/plan",
    summary="The plan file (YAML; JSON with Accept: application/json)",
    responses={200: {"content": {YAML: {}, "application/json": {}}}},
)
def read_plan(
    key: str,
    request: Request,
    access: Annotated[Access, permit(Action.PROJECT_READ)],
    session: SessionDep,
) -> Response:
    row = access.in_project
    cached = not_modified(request, row.version)
    if cached is not None:
        return cached
    if wants_json(request):
        return Response(
            plan_json_text(session, row),
            media_type="application/json",
            headers={"ETag": etag(row.version)},
        )
    return Response(
        plan_yaml_text(session, row), media_type=YAML, headers={"ETag": etag(row.version)}
    )


@router.put(
    "/plan",
    summary="Replace the plan (If-Match); a bad plan gets its problems with line and column",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {YAML: {"schema": {"type": "string"}}, "application/json": {}},
        }
    },
)
async def put_plan(
    key: str,
    request: Request,
    access: Annotated[Access, permit(Action.PLAN_WRITE)],
    session: SessionDep,
    context: ContextDep,
) -> Response:
    media = request.headers.get("content-type", YAML).split(";")[0].strip().lower()
    if media not in PLAN_TYPES:
        raise ApiError(
            f"Content-Type: send the plan as {YAML} or application/json, not {media}",
            code="request.unsupported_media_type",
            status=415,
        )
    raw = await body_bytes(request, context.max_body_bytes)
    text = plan_text(raw, file=f"{key}.yaml")
    written = await run_in_threadpool(
        replace_plan_text,
        session,
        access.in_project,
        text,
        expected=if_match(request),
        actor=access.actor,
        now=context.now(),
    )
    return versioned(write_answer(written), written.version)


@router.post("/import", summary="Replace the plan with an imported file (MS Project, Jira...)")
def import_plan(
    key: str,
    request: Request,
    access: Annotated[Access, permit(Action.PLAN_WRITE)],
    session: SessionDep,
    context: ContextDep,
    file: Annotated[UploadFile, File(description="the file to import")],
    format: Annotated[str, Form(max_length=20)] = "auto",
) -> Response:
    content = file.file.read(context.max_body_bytes + 1)
    if len(content) > context.max_body_bytes:
        raise ApiError("the file is too large", code="request.too_large", status=413)
    actor = access.actor
    written = import_upload(
        session,
        access.in_project,
        content,
        filename=file.filename,
        fmt=format,
        expected=if_match(request) or "*",
        actor=type(actor)(actor.user_id, actor.email, "import"),
        now=context.now(),
    )
    return versioned(write_answer(written), written.version)


@router.get(
    "/export",
    summary="The plan in another tool's format",
    responses={
        200: {
            "description": "The file, as an attachment",
            "content": {media: {} for media, _ in EXPORT_MEDIA.values()},
        }
    },
)
def export(
    key: str,
    access: Annotated[Access, permit(Action.PROJECT_READ)],
    session: SessionDep,
    format: Annotated[str, Query(max_length=20)] = "plan",
) -> Response:
    content, media, name = export_content(session, access.in_project, format)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=media, headers=headers)
