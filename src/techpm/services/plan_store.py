"""The one way a stored plan changes: the new plan is compared with the stored one, the rows
are edited in place, and the write is recorded as a change set (who, when, through what,
each field's old and new value) and announced as a `plan.changed` event. A write that
changes nothing writes nothing, so the project's version (its ETag) stays put. The caller
owns the transaction: nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from techpm.domain.project import Project
from techpm.interop.planfile.dump import plan_parts
from techpm.persistence.reading import read_project
from techpm.persistence.rows import ChangeSetRow, EventRow, FieldChangeRow, ProjectRow
from techpm.persistence.sync import sync_plan
from techpm.services.plan_diff import Change, diff_plans

PLAN_CHANGED = "plan.changed"


@dataclass(frozen=True)
class Actor:
    """Who writes, and through what: api, push, import or cli."""

    user_id: int | None
    email: str
    via: str


@dataclass(frozen=True)
class PlanWrite:
    version: int  # the project's version after the write
    change_set_id: int | None  # None when nothing changed
    changes: tuple[Change, ...]


def write_plan(
    session: Session,
    row: ProjectRow,
    plan: Project,
    *,
    actor: Actor,
    summary: str,
    now: datetime,
    stored: Project | None = None,
) -> PlanWrite:
    """Store `plan` as the plan of `row` and record what changed. `stored` is the stored
    plan when the caller has just read it (so it is not read twice)."""
    old = stored if stored is not None else read_project(session, row)
    changes = diff_plans(old, plan)
    if not changes:
        return PlanWrite(row.version, None, ())
    sync_plan(session, row, plan, old=old)
    change_set = record_changes(session, row, changes, actor=actor, summary=summary, now=now)
    return PlanWrite(row.version, change_set.id, changes)


def record_project_created(
    session: Session, row: ProjectRow, *, actor: Actor, now: datetime
) -> PlanWrite:
    """The first entry of a new project's history: every part of its plan as added."""
    created = read_project(session, row)
    empty = Project(info=created.info, calendars={}, tasks=(), units=created.units)
    changes = (
        Change("project", "", "added", None, None, plan_parts(created)["project"]),
        *(
            Change(c.entity, c.key, "added", None, None, c.new)
            for c in diff_plans(empty, created)
            if c.entity != "project"
        ),
    )
    change_set = record_changes(session, row, changes, actor=actor, summary="created", now=now)
    return PlanWrite(row.version, change_set.id, changes)


def record_changes(
    session: Session,
    row: ProjectRow,
    changes: tuple[Change, ...],
    *,
    actor: Actor,
    summary: str,
    now: datetime,
) -> ChangeSetRow:
    """The change set of a write already flushed (so `row.version` is the new version),
    its field changes, and the event that tells open streams."""
    change_set = ChangeSetRow(
        project_id=row.id,
        user_id=actor.user_id,
        actor=actor.email,
        via=actor.via,
        at=now,
        project_version=row.version,
        summary=summary,
    )
    change_set.changes = [
        FieldChangeRow(
            entity=c.entity, entity_key=c.key, action=c.action, field=c.field, old=c.old, new=c.new
        )
        for c in changes
    ]
    session.add(change_set)
    session.flush()
    touched = list(dict.fromkeys((c.entity, c.key, c.action) for c in changes))
    data = {
        "version": row.version,
        "change_set": change_set.id,
        "entities": [{"entity": e, "key": k, "action": a} for e, k, a in touched],
    }
    session.add(EventRow(project_id=row.id, at=now, kind=PLAN_CHANGED, data=data))
    session.flush()
    return change_set
