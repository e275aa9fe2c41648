"""The plans of the latest project versions a server process has read or written, so that a
request does not rebuild a 1,000-task plan from its rows when nothing changed since the
last one. A version names one state of a project for good (every write moves it), so an
entry can never be stale; it is only ever missing. Each app holds its own cache, so two
databases never share one."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from techpm.domain.project import Project
from techpm.persistence.reading import read_project
from techpm.persistence.rows import ProjectRow

T = TypeVar("T")


class _Entry:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.memo: dict[str, Any] = {}


class PlanCache:
    """At most `size` plans, least recently used out first; safe to share between threads."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[int, int], _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, project_id: int, version: int) -> Project | None:
        entry = self._entry(project_id, version)
        return None if entry is None else entry.project

    def put(self, project_id: int, version: int, project: Project) -> None:
        with self._lock:
            self._entries[project_id, version] = _Entry(project)
            self._entries.move_to_end((project_id, version))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def memo(self, project_id: int, version: int, name: str, make: Callable[[], T]) -> T:
        """A value derived from the plan at this version (made once, kept with the plan)."""
        entry = self._entry(project_id, version)
        if entry is None:
            return make()
        if name not in entry.memo:
            entry.memo[name] = make()
        value: T = entry.memo[name]
        return value

    def _entry(self, project_id: int, version: int) -> _Entry | None:
        with self._lock:
            entry = self._entries.get((project_id, version))
            if entry is not None:
                self._entries.move_to_end((project_id, version))
            return entry


def _stored_version(session: Session, project_id: int) -> int | None:
    return session.scalar(select(ProjectRow.version).where(ProjectRow.id == project_id))


@dataclass(frozen=True)
class PlanAt:
    """A project's plan and the version it is the plan of."""

    project: Project
    version: int


def current_plan(session: Session, row: ProjectRow, cache: PlanCache | None) -> PlanAt:
    """The plan of `row` at its current version: from the cache, or read from the rows.

    A plan read from the rows is kept only when the project's version is the same before
    and after the read, so no write landed in between (every write moves it). `row` is
    refreshed when it is behind."""
    version = _stored_version(session, row.id)
    if version is None:  # the project went meanwhile: the caller's row says what it was
        return PlanAt(read_project(session, row), row.version)
    if version != row.version:
        session.refresh(row)  # so what is computed from this plan is stored as its version
    found = None if cache is None else cache.get(row.id, version)
    if found is not None:
        return PlanAt(found, version)
    project = read_project(session, row)
    if cache is not None and _stored_version(session, row.id) == version:
        cache.put(row.id, version, project)
    return PlanAt(project, version)
