"""The collections inside a project — tasks, dependencies, resources, assignments, risks,
stakeholders, ideas, items, sprints, baselines — each with a list, `POST`, and
`GET`/`PATCH`/`DELETE` of one entity by its id. Representations are the plan file's
mappings plus `version`; a `PATCH` or `DELETE` needs `If-Match`. Ids may hold `/`, so they
take the rest of the path."""

# no `from __future__ import annotations`: the routes are made in a function, and FastAPI
# must see their `permit(...)` dependencies as objects, not as names it cannot resolve
from collections.abc import Callable
from collections.abc import Collection as Keys
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from techpm.server.api.entity_schemas import body_names, request_body
from techpm.server.deps import Access, ContextDep, SessionDep, permit
from techpm.server.http import etag, if_match, json_object, not_modified, versioned
from techpm.server.permissions import Action, item_update_action, task_update_action
from techpm.services.collections import COLLECTIONS, Collection
from techpm.services.collections.baselines import (
    baseline_entry,
    get_baseline,
    list_baselines,
    remove_baseline,
    rename_baseline,
    take_baseline,
)
from techpm.services.collections.listing import MAX_LIMIT, RESERVED, ListQuery, parse_sort
from techpm.services.collections.service import (
    EntityWrite,
    create_entity,
    delete_entity,
    get_entity,
    list_entities,
    update_entity,
)

router = APIRouter(prefix="/api/v1/projects/{key}", tags=["collections"])
Include = Annotated[
    str | None, Query(pattern="^schedule$", description="`schedule`: each task's dates too")
]

WRITES: dict[str, Action] = {
    "tasks": Action.TASKS_WRITE,
    "dependencies": Action.DEPENDENCIES_WRITE,
    "resources": Action.RESOURCES_WRITE,
    "assignments": Action.ASSIGNMENTS_WRITE,
    "risks": Action.RISKS_WRITE,
    "stakeholders": Action.STAKEHOLDERS_WRITE,
    "ideas": Action.IDEAS_WRITE,
    "items": Action.ITEMS_WRITE,
    "sprints": Action.SPRINTS_WRITE,
}
# a PATCH of a task or an item is judged by the keys it changes
PATCH_BY_KEYS: dict[str, tuple[Action, Callable[[Keys[str]], Action]]] = {
    "tasks": (Action.PROGRESS_WRITE, task_update_action),
    "items": (Action.ITEMS_WRITE, item_update_action),
}
EntityId = Annotated[str, Path(min_length=1, max_length=400, description="the entity's id")]
JsonObject = Annotated[dict[str, Any], Body(description="plan-file keys of the entity")]


def _filters(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if k not in RESERVED}


def _written(written: EntityWrite, status: int = 200, **headers: str) -> JSONResponse:
    return versioned(written.entry, written.version, status=status, **headers)


def _add(collection: Collection) -> None:
    name, write = collection.name, WRITES[collection.name]
    patch_action, patch_needs = PATCH_BY_KEYS.get(name, (write, lambda keys: write))
    filters = [
        {"name": field, "in": "query", "required": False, "schema": {"type": "string"}}
        for field in sorted(collection.fields())
    ]

    def list_(
        key: str,
        request: Request,
        access: Annotated[Access, permit(Action.PROJECT_READ)],
        session: SessionDep,
        context: ContextDep,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        sort: Annotated[str | None, Query(max_length=200, description="`-finish,name`")] = None,
        include: Include = None,
    ) -> Response:
        row = access.in_project
        cached = not_modified(request, row.version)
        if cached is not None:
            return cached
        query = ListQuery(_filters(request), parse_sort(sort), limit, cursor)
        found = list_entities(
            session,
            row,
            collection,
            query,
            plans=context.plans,
            now=context.now(),
            include_schedule=include == "schedule",
        )
        body = {"items": found.items, "next_cursor": found.next_cursor, "version": found.version}
        return versioned(body, found.version)

    def get_(
        key: str,
        entity_id: EntityId,
        request: Request,
        access: Annotated[Access, permit(Action.PROJECT_READ)],
        session: SessionDep,
        context: ContextDep,
        include: Include = None,
    ) -> Response:
        entry, version = get_entity(
            session,
            access.in_project,
            collection,
            entity_id,
            plans=context.plans,
            now=context.now(),
            include_schedule=include == "schedule",
        )
        cached = not_modified(request, version)
        return cached if cached is not None else versioned(entry, version)

    async def post_(
        key: str,
        request: Request,
        access: Annotated[Access, permit(write)],
        session: SessionDep,
        context: ContextDep,
    ) -> Response:
        body = await json_object(request, context.max_body_bytes)
        written = await run_in_threadpool(
            create_entity,
            session,
            access.in_project,
            collection,
            body,
            actor=access.actor,
            now=context.now(),
            plans=context.plans,
        )
        assert written.entry is not None
        where = (
            f"/api/v1/projects/{access.in_project.key}/{name}/{collection.key_of(written.entry)}"
        )
        return _written(written, 201, Location=where)

    async def patch_(
        key: str,
        entity_id: EntityId,
        request: Request,
        access: Annotated[Access, permit(patch_action)],
        session: SessionDep,
        context: ContextDep,
    ) -> Response:
        body = await json_object(request, context.max_body_bytes)
        access.require(patch_needs(body.keys()))
        written = await run_in_threadpool(
            update_entity,
            session,
            access.in_project,
            collection,
            entity_id,
            body,
            expected=if_match(request),
            actor=access.actor,
            now=context.now(),
            plans=context.plans,
        )
        return _written(written)

    def delete_(
        key: str,
        entity_id: EntityId,
        request: Request,
        access: Annotated[Access, permit(write)],
        session: SessionDep,
        context: ContextDep,
    ) -> Response:
        written = delete_entity(
            session,
            access.in_project,
            collection,
            entity_id,
            expected=if_match(request),
            actor=access.actor,
            now=context.now(),
            plans=context.plans,
        )
        return Response(status_code=204, headers={"ETag": etag(written.project_version)})

    entity = collection.entity
    entry_schema, patch_schema = body_names(name)
    one = f"/{name}/{{entity_id:path}}"
    router.add_api_route(
        f"/{name}",
        list_,
        methods=["GET"],
        summary=f"The {name}, a page at a time",
        operation_id=f"{name}_list",
        openapi_extra={"parameters": filters},
    )
    router.add_api_route(
        f"/{name}",
        post_,
        methods=["POST"],
        openapi_extra=request_body(entry_schema),
        status_code=201,
        summary=f"Add a {entity}",
        operation_id=f"{name}_create",
    )
    router.add_api_route(
        one, get_, methods=["GET"], summary=f"One {entity}", operation_id=f"{name}_get"
    )
    router.add_api_route(
        one,
        patch_,
        methods=["PATCH"],
        openapi_extra=request_body(patch_schema),
        summary=f"Change a {entity} (If-Match)",
        operation_id=f"{name}_update",
    )
    router.add_api_route(
        one,
        delete_,
        methods=["DELETE"],
        status_code=204,
        summary=f"Remove a {entity} (If-Match)",
        operation_id=f"{name}_delete",
    )


for _collection in COLLECTIONS.values():
    _add(_collection)


BaselineWrite = Annotated[Access, permit(Action.BASELINES_WRITE)]
Read = Annotated[Access, permit(Action.PROJECT_READ)]


@router.get("/baselines", summary="The project's baselines (without their snapshots)")
def list_baselines_(key: str, access: Read, session: SessionDep) -> dict[str, Any]:
    found = [baseline_entry(b) for b in list_baselines(session, access.in_project)]
    return {"items": found, "next_cursor": None, "version": access.in_project.version}


@router.post("/baselines", status_code=201, summary="Take a baseline of the schedule as it is")
def take_baseline_(
    key: str,
    access: BaselineWrite,
    session: SessionDep,
    context: ContextDep,
    body: Annotated[dict[str, Any], Body(description='{"name", "level"}')],
) -> Response:
    found = take_baseline(session, access.in_project, body, now=context.now(), plans=context.plans)
    where = f"/api/v1/projects/{access.in_project.key}/baselines/{found.name}"
    return versioned(baseline_entry(found, full=True), found.version, status=201, Location=where)


@router.get("/baselines/{name}", summary="One baseline with its snapshot")
def get_baseline_(
    key: str, name: Annotated[str, Path(max_length=64)], access: Read, session: SessionDep
) -> Response:
    found = get_baseline(session, access.in_project, name)
    return versioned(baseline_entry(found, full=True), found.version)


@router.patch("/baselines/{name}", summary="Rename a baseline (If-Match)")
def rename_baseline_(
    key: str,
    name: Annotated[str, Path(max_length=64)],
    request: Request,
    access: BaselineWrite,
    session: SessionDep,
    body: JsonObject,
) -> Response:
    found = rename_baseline(session, access.in_project, name, body, expected=if_match(request))
    return versioned(baseline_entry(found, full=True), found.version)


@router.delete("/baselines/{name}", status_code=204, summary="Remove a baseline (If-Match)")
def remove_baseline_(
    key: str,
    name: Annotated[str, Path(max_length=64)],
    request: Request,
    access: BaselineWrite,
    session: SessionDep,
) -> Response:
    remove_baseline(session, access.in_project, name, expected=if_match(request))
    return Response(status_code=204)
