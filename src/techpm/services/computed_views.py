"""A computed view of a stored project, served from the store of computed results while the
project is unchanged, and what the server has instead of the files next to a plan: named
baselines and the earned value record, as rows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from techpm.domain.errors import NotFoundError
from techpm.domain.project import Project
from techpm.persistence.rows import BaselineRow, EarnedValueRecordRow, ProjectRow
from techpm.services.computed import StoredResult, stored_result
from techpm.services.plan_cache import PlanCache, current_plan

View = Callable[[Project], tuple[bytes, str]]


class BaselineNotFoundError(NotFoundError):
    code = "baseline.not_found"


@dataclass(frozen=True)
class SavedBaseline:
    name: str
    snapshot: dict[str, Any]
    stamp: str  # changes whenever the baseline is taken again: part of a result's options


def serve_view(
    session: Session,
    row: ProjectRow,
    kind: str,
    options: Mapping[str, Any],
    view: View,
    *,
    now: datetime,
    plans: PlanCache | None = None,
) -> StoredResult:
    """The view's result for the project as it is now: stored, or computed from the plan
    (the one `plans` keeps for this version, or read from its rows) and stored."""
    result = stored_result(
        session,
        row,
        kind,
        options,
        lambda: view(current_plan(session, row, plans).project),
        now=now,
    )
    session.commit()
    return result


def saved_baseline(
    session: Session, row: ProjectRow, name: str | None, *, newest: bool = False
) -> SavedBaseline | None:
    """The baseline called `name`; with no name, the newest taken when `newest` (as the
    status report picks one), else none."""
    query = select(BaselineRow).where(BaselineRow.project_id == row.id)
    if name is not None:
        found = session.scalars(query.where(BaselineRow.name == name)).first()
        if found is None:
            raise BaselineNotFoundError(f"no baseline {name!r} in project {row.key}")
    elif newest:
        order = (BaselineRow.taken_at.desc(), BaselineRow.name.desc())
        found = session.scalars(query.order_by(*order)).first()
    else:
        return None
    if found is None:
        return None
    return SavedBaseline(found.name, dict(found.snapshot), f"{found.id}.{found.version}")


def evm_record(session: Session, row: ProjectRow) -> tuple[dict[date, tuple[float, float]], str]:
    """Status date -> (EV, AC) as measured then, and a digest of it for a result's options
    (a new measurement changes what the EVM document shows, not the project's version)."""
    rows = session.scalars(
        select(EarnedValueRecordRow)
        .where(EarnedValueRecordRow.project_id == row.id)
        .order_by(EarnedValueRecordRow.status_date_on)
    ).all()
    history = {r.status_date_on: (float(r.earned_value), float(r.actual_cost)) for r in rows}
    text = json.dumps([[d.isoformat(), ev, ac] for d, (ev, ac) in history.items()])
    return history, hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
