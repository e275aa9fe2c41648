"""Long computations as jobs: start a simulation or a leveling, follow its progress, cancel it.
They run outside the request (the server's job back end); their state lives in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from techpm.server.api.schemas import Strict
from techpm.server.deps import Access, ContextDep, SessionDep, permit
from techpm.server.errors import ApiError
from techpm.server.permissions import Action
from techpm.services.jobs import JobView, create_job, get_job, request_cancel

router = APIRouter(tags=["jobs"])
JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class SimulationCreate(Strict):
    iterations: int = Field(default=1000, ge=1, le=100_000)
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)
    level: bool | None = None


class LevelingCreate(Strict):
    engine: Literal["auto", "heuristic", "cpsat"] = "auto"
    time_limit: float = Field(default=5.0, gt=0, le=300)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def job_json(job: JobView) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "result": job.result,
        "error": job.error,
        "created_at": _when(job.created_at),
        "started_at": _when(job.started_at),
        "finished_at": _when(job.finished_at),
    }


def _start(access: Access, session: Any, context: Any, kind: str, options: dict[str, Any]) -> Any:
    if context.jobs is None:
        raise ApiError("this server runs no background jobs", code="job.unavailable", status=503)
    job = create_job(
        session,
        project=access.in_project,
        user_id=access.caller.user.id,
        kind=kind,
        options=options,
        now=context.now(),
    )
    session.commit()
    context.jobs.submit(job.id)
    return JSONResponse(
        {"job_id": job.id, "status": "queued"},
        status_code=202,
        headers={"Location": f"/api/v1/jobs/{job.id}"},
    )


@router.post("/api/v1/projects/{key}/simulations", status_code=202, summary="Start a simulation")
def start_simulation(
    key: str,
    body: SimulationCreate,
    access: Annotated[Access, permit(Action.COMPUTE_RUN)],
    session: SessionDep,
    context: ContextDep,
) -> Any:
    return _start(access, session, context, "simulation", body.model_dump())


@router.post("/api/v1/projects/{key}/levelings", status_code=202, summary="Start a leveling")
def start_leveling(
    key: str,
    body: LevelingCreate,
    access: Annotated[Access, permit(Action.COMPUTE_RUN)],
    session: SessionDep,
    context: ContextDep,
) -> Any:
    return _start(access, session, context, "leveling", body.model_dump())


@router.get("/api/v1/jobs/{job_id}", summary="A job's status, progress and result")
def show(
    job_id: JobId, access: Annotated[Access, permit(Action.PROJECT_READ)], session: SessionDep
) -> Any:
    return job_json(get_job(session, job_id))


@router.delete("/api/v1/jobs/{job_id}", status_code=202, summary="Cancel a job")
def cancel(
    job_id: JobId,
    access: Annotated[Access, permit(Action.COMPUTE_RUN)],
    session: SessionDep,
    context: ContextDep,
) -> Response:
    job = request_cancel(session, job_id, now=context.now())
    session.commit()
    if context.jobs is not None and job.status == "running":
        context.jobs.cancel(job_id)
    return JSONResponse(job_json(job), status_code=202)
