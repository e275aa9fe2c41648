"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from techpm.persistence.migrate import current_revision, head_revision
from techpm.server.context import context_of

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The database answers and its schema is at head")
def readyz(request: Request) -> JSONResponse:
    engine = context_of(request).engine
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision, head = current_revision(engine), head_revision()
    except Exception as exc:  # any failure to reach the database means "not ready"
        down = {"status": "unavailable", "database": "unreachable", "detail": type(exc).__name__}
        return JSONResponse(down, status_code=503, headers={"Retry-After": "5"})
    if revision != head:
        behind = {"status": "unavailable", "database": "ok", "schema": revision, "head": head}
        return JSONResponse(behind, status_code=503, headers={"Retry-After": "5"})
    return JSONResponse({"status": "ok", "database": "ok", "schema": revision})
