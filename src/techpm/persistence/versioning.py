"""The project's version moves whenever anything inside it changes, so that a client holding
the project's version (its ETag) learns of any edit, and stored results know they are stale.
Each row keeps its own counter as well."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import flag_modified

from techpm.persistence.rows import ProjectRow
from techpm.persistence.rows.base import InProject


def bump_project_versions(session: Session, _context: Any, _instances: Any) -> None:
    """Before a flush: every project with a row added, changed or deleted gets an UPDATE,
    which raises its version counter. New and deleted projects need none."""
    new, dirty, deleted = list(session.new), list(session.dirty), list(session.deleted)
    settled = {id(obj) for obj in (*new, *deleted)}  # each of these reads the whole session
    changed = [*new, *deleted, *(obj for obj in dirty if session.is_modified(obj))]
    touched: set[int] = set()
    for obj in changed:
        if not isinstance(obj, InProject):
            continue
        project = obj.project  # a pending row given only project_id does not load it
        if project is None and obj.project_id is not None:
            project = session.get(ProjectRow, obj.project_id)
        if project is None or id(project) in settled or id(project) in touched:
            continue
        touched.add(id(project))
        flag_modified(project, "key")


def track_project_versions(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    event.listen(factory, "before_flush", bump_project_versions)
    return factory
