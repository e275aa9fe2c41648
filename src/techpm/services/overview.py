"""What a project's overview page and the portfolio show at a glance: dates, milestones,
progress and the critical path, read from the stored schedule (computed once per version,
shared with `GET .../schedule`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from techpm.persistence.rows import ProjectRow
from techpm.services.collections.service import SCHEDULE_OPTIONS
from techpm.services.computed_views import serve_view
from techpm.services.plan_cache import PlanCache
from techpm.services.views_schedule import schedule_view


@dataclass(frozen=True)
class Milestone:
    id: str
    name: str
    on: str  # the day, ISO
    critical: bool
    done: bool


@dataclass(frozen=True)
class Overview:
    start: str
    finish: str
    tasks: int
    critical: int
    percent_complete: float  # of the leaf tasks' durations
    milestones: tuple[Milestone, ...]
    critical_path: tuple[str, ...]

    @property
    def next_milestones(self) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if not m.done)[:3]


def project_overview(
    session: Session, row: ProjectRow, *, plans: PlanCache | None, now: datetime
) -> Overview:
    def view(project: Any) -> tuple[bytes, str]:
        return schedule_view(project, level=None, engine="auto", time_limit=5.0)

    stored = serve_view(session, row, "schedule", SCHEDULE_OPTIONS, view, now=now, plans=plans)
    document = json.loads(stored.content)
    tasks = document["tasks"]
    leaves = [t for t in tasks if not t["summary"]]
    weight = sum(t["duration"] for t in leaves)
    done = sum(t["duration"] * t["percent_complete"] for t in leaves)
    paths = document["project"].get("critical_paths") or [[]]
    return Overview(
        start=document["project"]["start"][:10],
        finish=document["project"]["finish"][:10],
        tasks=len(tasks),
        critical=sum(1 for t in tasks if t["critical"]),
        percent_complete=round(done / weight, 1) if weight else 0.0,
        milestones=tuple(
            Milestone(
                t["id"], t["name"], t["finish"][:10], t["critical"], t["percent_complete"] >= 100
            )
            for t in tasks
            if t["milestone"]
        ),
        critical_path=tuple(paths[0]),
    )
