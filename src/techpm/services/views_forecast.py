"""The throughput forecast as the JSON document `techpm forecast --format json` prints, built
here from a plan already read, so the CLI and the server's forecast endpoint agree."""

from __future__ import annotations

from datetime import date
from typing import Any

from techpm.domain.project import Project
from techpm.flow.forecast import DoneBy, ForecastError, Spread
from techpm.services.forecasting import ForecastReport, forecast_project
from techpm.services.views_schedule import JSON, json_bytes, number


def forecast_view(
    project: Project,
    *,
    source: str,
    items: int | None = None,
    by: date | None = None,
    milestones: bool = False,
    iterations: int = 10_000,
    seed: int | None = None,
    window_days: int | None = None,
    since: date | None = None,
    start: date | None = None,
    split_rate: float = 0.0,
) -> tuple[bytes, str]:
    """`techpm forecast PLAN --format json` from the plan's own finished items; `source`
    names the plan in the document (the CLI gives the file, the server the project)."""
    if window_days is not None and since is not None:
        raise ForecastError(
            "give a window or a since date, not both", code="forecast.window_and_since"
        )
    report = forecast_project(
        project,
        source=source,
        items=items,
        by=by,
        milestones=milestones,
        iterations=iterations,
        seed=seed,
        window_days=window_days,
        since=since,
        start=start,
        split_rate=split_rate,
    )
    return json_bytes(forecast_json(report)), JSON


def forecast_json(report: ForecastReport) -> dict[str, Any]:
    """The JSON twin of the tables; confidence keys are percentages ("85")."""
    h = report.history
    data: dict[str, Any] = {
        "start": report.start.isoformat(),
        "iterations": report.iterations,
        "seed": report.seed,
        "history": {
            "source": h.source,
            "from": h.first.isoformat(),
            "to": h.last.isoformat(),
            "samples": h.samples,
            "finished_items": h.items,
            "per_day": number(h.per_day),
            "undated": h.undated,
        },
        "open_items": report.open_items,
        "split_rate": report.split_rate,
        "items": None,
        "when": None,
        "by": None,
        "by_working_days": None,
        "how_many": None,
        "milestones": None,
        "distribution": {},
        "warnings": [{"code": w.code, "message": w.message} for w in report.warnings],
    }
    if report.when is not None:
        data["items"] = report.when.items
        data["when"] = {str(c): _done_json(d) for c, d in report.when.confidence.items()}
        data["distribution"]["when"] = _spread_json(report.when.spread)
    if report.how_many is not None:
        data["by"] = report.how_many.until.isoformat()
        data["by_working_days"] = report.how_many.working_days
        data["how_many"] = {str(c): n for c, n in report.how_many.confidence.items()}
        data["distribution"]["how_many"] = _spread_json(report.how_many.spread)
    if report.milestones is not None:
        data["milestones"] = [
            {
                "id": m.milestone.id,
                "name": m.milestone.name,
                "items": list(m.milestone.items),
                "target": m.milestone.target,
                "deadline": m.milestone.deadline.isoformat() if m.milestone.deadline else None,
                "on_time": number(m.on_time) if m.on_time is not None else None,
                "when": {str(c): _done_json(d) for c, d in m.confidence.items()},
            }
            for m in report.milestones
        ]
    return data


def _done_json(done: DoneBy) -> dict[str, Any]:
    return {
        "date": done.on.isoformat() if done.on else None,
        "days": done.days,
        "calendar_days": done.calendar_days,
    }


def _spread_json(spread: Spread) -> dict[str, Any]:
    return {
        "mean": number(spread.mean),
        "std": number(spread.std),
        "min": spread.min,
        "max": spread.max,
        "histogram": {str(value): runs for value, runs in spread.histogram},
    }
