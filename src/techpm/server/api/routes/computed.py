"""What techpm computes from a stored project, as the CLI prints it for the same plan: the
schedule, a task's explanation, workload, budget, earned value, the throughput forecast and
the status report. Each is stored per project version and options, and served from the
store until the project changes; the ETag is the project's version."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from techpm.server.deps import Access, ContextDep, SessionDep, permit
from techpm.server.http import etag, not_modified
from techpm.server.permissions import Action
from techpm.services.computed_views import View, evm_record, saved_baseline, serve_view
from techpm.services.project_views import (
    REPORT_MEDIA,
    budget_view,
    evm_view,
    explain_view,
    forecast_view,
    report_view,
    schedule_view,
    workload_view,
)

router = APIRouter(prefix="/api/v1/projects/{key}", tags=["computed"])
Read = Annotated[Access, permit(Action.PROJECT_READ)]
Level = Annotated[
    bool | None, Query(description="level resources (default: the plan's project.level)")
]
Engine = Annotated[str, Query(max_length=20, description="auto, heuristic or cpsat")]
TimeLimit = Annotated[float, Query(ge=0.1, le=10.0, description="seconds leveling may take")]
Seed = Annotated[int | None, Query(ge=0, le=2**32 - 1, description="for reproducible runs")]
BaselineName = Annotated[str | None, Query(max_length=64, description="a saved baseline")]
JSON_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": {"type": "object"}}}},
    304: {"description": "Not modified: the version in If-None-Match is current"},
}
REPORT_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The status report",
        "content": {media: {"schema": {"type": "string"}} for media in REPORT_MEDIA.values()},
    },
    304: JSON_ANSWER[304],
}


def computed(
    request: Request,
    access: Access,
    session: SessionDep,
    context: ContextDep,
    kind: str,
    options: dict[str, Any],
    view: View,
) -> Response:
    """304 when the caller holds this version, else the stored or freshly computed view."""
    row = access.in_project
    cached = not_modified(request, row.version)
    if cached is not None:
        return cached
    result = serve_view(session, row, kind, options, view, now=context.now(), plans=context.plans)
    headers = {"ETag": etag(result.project_version)}
    return Response(result.content, media_type=result.media_type, headers=headers)


@router.get(
    "/schedule", summary="The schedule, as `techpm schedule --format json`", responses=JSON_ANSWER
)
def schedule(
    key: str,
    request: Request,
    access: Read,
    session: SessionDep,
    context: ContextDep,
    level: Level = None,
    engine: Engine = "auto",
    time_limit: TimeLimit = 5.0,
) -> Response:
    options = {"level": level, "engine": engine, "time_limit": time_limit}
    return computed(
        request,
        access,
        session,
        context,
        "schedule",
        options,
        lambda project: schedule_view(project, level=level, engine=engine, time_limit=time_limit),
    )


@router.get(
    "/tasks/{task_id:path}/explain",
    summary="Why a task starts when it does, as `techpm explain --format json`",
    responses=JSON_ANSWER,
)
def explain(
    key: str,
    task_id: Annotated[str, Path(max_length=200)],
    request: Request,
    access: Read,
    session: SessionDep,
    context: ContextDep,
    level: Level = None,
    engine: Engine = "auto",
    time_limit: TimeLimit = 5.0,
) -> Response:
    options = {"task": task_id, "level": level, "engine": engine, "time_limit": time_limit}
    return computed(
        request,
        access,
        session,
        context,
        "explain",
        options,
        lambda project: explain_view(
            project, task_id, level=level, engine=engine, time_limit=time_limit
        ),
    )


@router.get(
    "/workload",
    summary="Each resource's weekly allocation, as `techpm workload`",
    responses=JSON_ANSWER,
)
def workload(
    key: str,
    request: Request,
    access: Read,
    session: SessionDep,
    context: ContextDep,
    level: Level = None,
    engine: Engine = "auto",
    time_limit: TimeLimit = 5.0,
) -> Response:
    options = {"level": level, "engine": engine, "time_limit": time_limit}
    return computed(
        request,
        access,
        session,
        context,
        "workload",
        options,
        lambda project: workload_view(project, level=level, engine=engine, time_limit=time_limit),
    )


@router.get(
    "/budget",
    summary="Planned value per period and account, as `techpm budget`",
    responses=JSON_ANSWER,
)
def budget(
    key: str,
    request: Request,
    access: Read,
    session: SessionDep,
    context: ContextDep,
    by: Annotated[str, Query(max_length=10, description="day, week or month")] = "week",
    level: Level = None,
    engine: Engine = "auto",
    time_limit: TimeLimit = 5.0,
) -> Response:
    options = {"by": by, "level": level, "engine": engine, "time_limit": time_limit}
    return computed(
        request,
        access,
        session,
        context,
        "budget",
        options,
        lambda project: budget_view(
            project, by=by, level=level, engine=engine, time_limit=time_limit
        ),
    )


@router.get(
    "/evm", summary="Earned value and earned schedule, as `techpm evm`", responses=JSON_ANSWER
)
def evm(
    key: str,
    request: Request,
    access: Read,
    session: SessionDep,
    context: ContextDep,
    status_date: Annotated[date | None, Query(description="default: the plan's")] = None,
    baseline: BaselineName = None,
    level: Level = None,
    engine: Engine = "auto",
    time_limit: TimeLimit = 5.0,
) -> Response:
    saved = saved_baseline(session, access.in_project, baseline)
    history, measured = evm_record(session, access.in_project)
    options = {
        "status_date": status_date,
        "baseline": None if saved is None else [saved.name, saved.stamp],
        "record": measured,
        "level": level,
        "engine": engine,
        "time_limit": time_limit,
    }
    return computed(
        request,
        access,
        session,
        context,
        "evm",
        options,
        lambda project: evm_view(
            project,
            status_date=status_date,
            baseline=None if saved is None else saved.snapshot,
            history=history,
            level=level,
            engine=engine,
            time_limit=time_limit,
        ),
    )


@router.get(
    "/forecast",
    summary="When the backlog will be done, from the team's throughput, as `techpm forecast`",
    responses=JSON_ANSWER,
)
def forecast(
    key: str,
    request: Request,
    access: Read,
    session: SessionDep,
    context: ContextDep,
    items: Annotated[int | None, Query(ge=1, le=1_000_000, description="when N are done")] = None,
    by: Annotated[date | None, Query(description="how many are done by this date")] = None,
    milestones: Annotated[bool, Query(description="when each milestone's are done")] = False,
    iterations: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
    seed: Seed = None,
    window: Annotated[int | None, Query(ge=1, le=3650, description="days of history")] = None,
    since: Annotated[date | None, Query(description="history from this date on")] = None,
    start: Annotated[
        date | None, Query(alias="from", description="the forecast's first day")
    ] = None,
    split_rate: Annotated[float, Query(ge=0.0, le=10.0)] = 0.0,
) -> Response:
    options = {
        "items": items,
        "by": by,
        "milestones": milestones,
        "iterations": iterations,
        "seed": seed,
        "window": window,
        "since": since,
        "from": start,
        "split_rate": split_rate,
    }
    return computed(
        request,
        access,
        session,
        context,
        "forecast",
        options,
        lambda project: forecast_view(
            project,
            source=f"project {access.in_project.key}",
            items=items,
            by=by,
            milestones=milestones,
            iterations=iterations,
            seed=seed,
            window_days=window,
            since=since,
            start=start,
            split_rate=split_rate,
        ),
    )


@router.get(
    "/report", summary="The status report, as `techpm report` writes it", responses=REPORT_ANSWER
)
def report(
    key: str,
    request: Request,
    access: Read,
    session: SessionDep,
    context: ContextDep,
    format: Annotated[str, Query(max_length=10, description="html, pdf or md")] = "html",
    audience: Annotated[str, Query(max_length=20, description="team or executive")] = "team",
    baseline: BaselineName = None,
    iterations: Annotated[int, Query(ge=0, le=10_000, description="simulation runs")] = 2000,
    seed: Seed = None,
    level: Level = None,
) -> Response:
    saved = saved_baseline(session, access.in_project, baseline, newest=True)
    now = context.now().replace(microsecond=0)
    options = {
        "format": format,
        "audience": audience,
        "baseline": None if saved is None else [saved.name, saved.stamp],
        "iterations": iterations,
        "seed": seed,
        "level": level,
    }
    return computed(
        request,
        access,
        session,
        context,
        "report",
        options,
        lambda project: report_view(
            project,
            format=format,
            audience=audience,
            baseline=None if saved is None else saved.name,
            saved=None if saved is None else saved.snapshot,
            iterations=iterations,
            seed=seed,
            level=level,
            now=now,
        ),
    )
