"""Named baselines of a stored project: what `techpm baseline save` keeps in a file next to
the plan, kept as rows. Taking one schedules the plan as it is now; a baseline is then
fixed (it can be renamed or removed, not edited), and its own row version is its ETag."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from techpm.evm.baseline import snapshot
from techpm.persistence.rows import BaselineRow, ProjectRow
from techpm.services.baselines import checked_name
from techpm.services.collections.errors import EntityExistsError, EntityNotFoundError, FieldError
from techpm.services.collections.service import retrying
from techpm.services.plan_cache import PlanCache, current_plan
from techpm.services.planning import schedule_plan
from techpm.services.versions import Expected, PreconditionRequiredError, StaleVersionError

Entry = dict[str, Any]


def baseline_entry(row: BaselineRow, *, full: bool = False) -> Entry:
    entry: Entry = {
        "id": row.name,
        "name": row.name,
        "taken_at": row.taken_at.isoformat(),
        "tasks": len(row.snapshot.get("tasks", {})),
        "version": row.version,
    }
    if full:
        entry["snapshot"] = row.snapshot
    return entry


def list_baselines(session: Session, project: ProjectRow) -> list[BaselineRow]:
    query = select(BaselineRow).where(BaselineRow.project_id == project.id)
    return list(session.scalars(query.order_by(BaselineRow.taken_at, BaselineRow.name)))


def get_baseline(session: Session, project: ProjectRow, name: str) -> BaselineRow:
    query = select(BaselineRow).where(
        BaselineRow.project_id == project.id, BaselineRow.name == name
    )
    found = session.scalars(query).first()
    if found is None:
        raise EntityNotFoundError("baseline", name)
    return found


def take_baseline(
    session: Session,
    project: ProjectRow,
    body: Entry,
    *,
    now: datetime,
    plans: PlanCache | None,
) -> BaselineRow:
    """`{"name", "level"}`: the schedule as it is now (leveled when `level`, or when the
    plan levels and `level` is absent) under a new name."""
    extra = sorted(set(body) - {"name", "id", "level"})
    if extra:
        raise FieldError(
            extra[0], "not a field of a baseline (use name, level)", code="request.unknown_field"
        )
    name = body.get("name") or body.get("id") or f"baseline-{now:%Y%m%d-%H%M%S}"
    level = body.get("level")
    if not isinstance(name, str):
        raise FieldError("name", "a baseline's name is text", code="request.invalid_field")
    if level is not None and not isinstance(level, bool):
        raise FieldError("level", "true or false", code="request.invalid_field")
    checked_name(name)

    def attempt() -> BaselineRow:
        if any(b.name == name for b in list_baselines(session, project)):
            raise EntityExistsError("baseline", name)
        plan = current_plan(session, project, plans).project
        data = snapshot(schedule_plan(plan, level=level), name, now)
        row = BaselineRow(project_id=project.id, name=name, taken_at=now, snapshot=data)
        session.add(row)
        session.commit()
        return row

    return retrying(session, attempt)


def rename_baseline(
    session: Session, project: ProjectRow, name: str, body: Entry, *, expected: Expected | None
) -> BaselineRow:
    found = get_baseline(session, project, name)
    _check(found, expected)
    extra = sorted(set(body) - {"name", "id", "version", "tasks", "taken_at", "snapshot"})
    if extra:
        raise FieldError(extra[0], "a baseline can only be renamed", code="request.read_only")
    new = body.get("name", found.name)
    if not isinstance(new, str):
        raise FieldError("name", "a baseline's name is text", code="request.invalid_field")
    if new != found.name:
        checked_name(new)
        if any(b.name == new for b in list_baselines(session, project)):
            raise EntityExistsError("baseline", new)
        found.name = new
        session.commit()
    return found


def remove_baseline(
    session: Session, project: ProjectRow, name: str, *, expected: Expected | None
) -> None:
    found = get_baseline(session, project, name)
    _check(found, expected)
    session.delete(found)
    session.commit()


def _check(found: BaselineRow, expected: Expected | None) -> None:
    if expected is None:
        raise PreconditionRequiredError(
            "If-Match: send the version of the baseline you read (its ETag), or * to overwrite"
        )
    if expected not in ("*", found.version):
        raise StaleVersionError(
            f"the baseline {found.name!r} changed since version {expected}",
            extra={
                "current_version": found.version,
                "current": baseline_entry(found),
                "changes": [],
            },
        )
