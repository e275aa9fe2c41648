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
    touched: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, InProject):
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        project = obj.project  # a pending row given only project_id does not load it
        if project is None and obj.project_id is not None:
            project = session.get(ProjectRow, obj.project_id)
        if project is None or project in session.new or project in session.deleted:
            continue
        if id(project) not in touched:
            touched.add(id(project))
            flag_modified(project, "key")


def track_project_versions(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    event.listen(factory, "before_flush", bump_project_versions)
    return factory
