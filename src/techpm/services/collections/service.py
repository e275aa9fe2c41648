"""Reading and writing one entity of a collection. A write opens the current plan, checks
the entity's version against `If-Match`, makes the change, checks the whole plan as
`techpm check` would and stores it through `write_plan` (history, events, versions). Two
writes racing on one project meet at the project row's version counter; the loser runs
again on the new plan, where its `If-Match` is judged afresh, so nothing is lost."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from techpm.domain.errors import InvalidPlanError
from techpm.interop.gc_pause import paused_gc
from techpm.persistence.rows import ProjectRow
from techpm.services.collections.base import Collection, Entry
from techpm.services.collections.edit import PlanEdit, relative, values_within_limits
from techpm.services.collections.errors import BusyError
from techpm.services.collections.listing import ListQuery, page
from techpm.services.collections.tasks import SCHEDULE_KEYS, Tasks
from techpm.services.computed import stored_result
from techpm.services.entity_versions import entity_version, entity_versions
from techpm.services.history import changes_since
from techpm.services.plan_cache import PlanAt, PlanCache, current_plan
from techpm.services.plan_store import Actor, write_plan
from techpm.services.versions import Expected, PreconditionRequiredError, StaleVersionError
from techpm.services.views_schedule import schedule_view

T = TypeVar("T")
TRIES = 8
# the options of `GET .../schedule` by default, so both serve one stored schedule
SCHEDULE_OPTIONS = {"level": None, "engine": "auto", "time_limit": 5.0}


@dataclass(frozen=True)
class Page:
    items: list[Entry]
    next_cursor: str | None
    version: int  # the project's


@dataclass(frozen=True)
class EntityWrite:
    entry: Entry | None  # None once removed
    version: int  # the entity's version now
    project_version: int
    change_set_id: int | None


def list_entities(
    session: Session,
    row: ProjectRow,
    collection: Collection,
    query: ListQuery,
    *,
    plans: PlanCache | None,
    now: datetime,
    include_schedule: bool = False,
) -> Page:
    at = current_plan(session, row, plans)
    entries = _entries(at, row, collection, plans)
    versions = _versions(session, row, collection, at, plans)
    named = {*query.filters, *(s.removeprefix("-") for s in query.sort)}
    timed = isinstance(collection, Tasks) and (include_schedule or bool(named & set(SCHEDULE_KEYS)))
    dates = _task_schedules(session, row, at, plans, now) if timed else {}

    def value(entry: Entry, name: str) -> Any:
        if name in collection.filters:
            return collection.filters[name](entry)
        if name in SCHEDULE_KEYS and timed:
            return dates.get(entry["id"], {}).get(name)
        return entry.get(name)

    chosen, after = page(entries, query, known=collection.fields(), value=value)
    items = []
    for entry in chosen:
        shown = _shown(entry, versions.get(collection.key_of(entry), 1))
        if include_schedule and timed:
            shown["schedule"] = dates.get(entry["id"])
        items.append(shown)
    session.commit()  # a schedule computed for the dates is kept
    return Page(items, after, at.version)


def get_entity(
    session: Session,
    row: ProjectRow,
    collection: Collection,
    key: str,
    *,
    plans: PlanCache | None,
    now: datetime,
    include_schedule: bool = False,
) -> tuple[Entry, int]:
    at = current_plan(session, row, plans)
    entry = collection.find(PlanEdit(at.project), key)
    version = entity_version(session, row, collection.entity, key)
    shown = _shown(entry, version)
    if include_schedule and isinstance(collection, Tasks):
        shown["schedule"] = _task_schedules(session, row, at, plans, now).get(key)
        session.commit()
    return shown, version


def create_entity(
    session: Session,
    row: ProjectRow,
    collection: Collection,
    body: Entry,
    *,
    actor: Actor,
    now: datetime,
    plans: PlanCache | None,
) -> EntityWrite:
    def change(edit: PlanEdit) -> str:
        return collection.create(edit, body, now)

    return _write(session, row, collection, None, change, "*", actor, now, plans, "added", body)


def update_entity(
    session: Session,
    row: ProjectRow,
    collection: Collection,
    key: str,
    patch: Entry,
    *,
    expected: Expected | None,
    actor: Actor,
    now: datetime,
    plans: PlanCache | None,
) -> EntityWrite:
    def change(edit: PlanEdit) -> str:
        collection.update(edit, key, patch, now)
        return key

    return _write(
        session, row, collection, key, change, expected, actor, now, plans, "changed", patch
    )


def delete_entity(
    session: Session,
    row: ProjectRow,
    collection: Collection,
    key: str,
    *,
    expected: Expected | None,
    actor: Actor,
    now: datetime,
    plans: PlanCache | None,
) -> EntityWrite:
    def change(edit: PlanEdit) -> str:
        collection.delete(edit, key)
        return key

    return _write(session, row, collection, key, change, expected, actor, now, plans, "removed", {})


def _write(
    session: Session,
    row: ProjectRow,
    collection: Collection,
    key: str | None,
    change: Callable[[PlanEdit], str],
    expected: Expected | None,
    actor: Actor,
    now: datetime,
    plans: PlanCache | None,
    done: str,
    body: Entry,
) -> EntityWrite:
    values_within_limits(body, f"{row.key}.yaml")

    def attempt() -> EntityWrite:
        at = current_plan(session, row, plans)
        edit = PlanEdit(at.project)
        if key is not None:
            current = collection.find(edit, key)
            _check(session, row, collection, key, expected, current)
        new_key = change(edit)
        try:
            project = edit.project(f"{row.key}.yaml")
        except InvalidPlanError as exc:
            raise relative(exc, collection.where(edit, new_key)) from None
        summary = f"{collection.entity} {new_key} {done}"
        written = write_plan(
            session, row, project, actor=actor, summary=summary, now=now, stored=at.project
        )
        session.commit()
        if written.change_set_id is not None and plans is not None:
            plans.put(row.id, written.version, project)
        entry = None if done == "removed" else collection.shown(project, new_key)
        version = (
            written.version
            if written.change_set_id is not None
            else entity_version(session, row, collection.entity, new_key)
        )
        shown = None if entry is None else _shown(entry, version)
        return EntityWrite(shown, version, written.version, written.change_set_id)

    with paused_gc():  # a 1,000-task plan is built, diffed and stored: no cycles to find
        return retrying(session, attempt)


def retrying(session: Session, attempt: Callable[[], T]) -> T:
    """`attempt` again, on a fresh view of the database, when a concurrent write won."""
    for n in range(TRIES):
        try:
            return attempt()
        except (StaleDataError, IntegrityError):
            session.rollback()
            session.expire_all()
            time.sleep(random.uniform(0, 0.005 * 2**n))
    raise BusyError("the project changed too often while this write ran; send it again")


def _check(
    session: Session,
    row: ProjectRow,
    collection: Collection,
    key: str,
    expected: Expected | None,
    current: Entry,
) -> None:
    """`If-Match` may be the entity's version or any later version of the project: either
    says the writer saw the entity as it is now."""
    what = collection.entity
    if expected is None:
        raise PreconditionRequiredError(
            f"If-Match: send the version of the {what} you read (its ETag), or * to overwrite"
        )
    if expected == "*":
        return
    version = entity_version(session, row, what, key)
    if version <= expected <= row.version:
        return
    since = [
        c.as_json()
        for c in changes_since(session, row, min(expected, version - 1))
        if c.entity == what and c.key == key
    ]
    raise StaleVersionError(
        f"the {what} {key!r} changed since version {expected}; it is at version {version}",
        extra={"current_version": version, "current": _shown(current, version), "changes": since},
    )


def _shown(entry: Entry, version: int) -> Entry:
    return {**entry, "version": version}


def _entries(
    at: PlanAt, row: ProjectRow, collection: Collection, plans: PlanCache | None
) -> list[Entry]:
    def make() -> list[Entry]:
        return collection.entries(PlanEdit(at.project))

    if plans is None:
        return make()
    return plans.memo(row.id, at.version, f"entries:{collection.name}", make)


def _versions(
    session: Session, row: ProjectRow, collection: Collection, at: PlanAt, plans: PlanCache | None
) -> dict[str, int]:
    def make() -> dict[str, int]:
        return entity_versions(session, row, collection.entity)

    if plans is None:
        return make()
    return plans.memo(row.id, at.version, f"versions:{collection.entity}", make)


def _task_schedules(
    session: Session, row: ProjectRow, at: PlanAt, plans: PlanCache | None, now: datetime
) -> dict[str, Entry]:
    """Each task's dates, floats and criticality from the stored schedule."""

    def make() -> dict[str, Entry]:
        stored = stored_result(
            session,
            row,
            "schedule",
            SCHEDULE_OPTIONS,
            lambda: schedule_view(at.project, level=None, engine="auto", time_limit=5.0),
            now=now,
        )
        document = json.loads(stored.content)
        return {t["id"]: {k: t.get(k) for k in SCHEDULE_KEYS} for t in document["tasks"]}

    if plans is None:
        return make()
    return plans.memo(row.id, at.version, "schedule:tasks", make)
