"""The collections inside a project (tasks, dependencies, resources ...): each entity read,
added, changed and removed on its own, through the same checks, versions and history as a
whole-plan write. `COLLECTIONS` names them by their path segment."""

from __future__ import annotations

from techpm.services.collections.base import Collection
from techpm.services.collections.links import Assignments, Dependencies
from techpm.services.collections.registers import Ideas, Resources, Risks, Sprints, Stakeholders
from techpm.services.collections.tasks import Items, Tasks

COLLECTIONS: dict[str, Collection] = {
    c.name: c
    for c in (
        Tasks(),
        Dependencies(),
        Resources(),
        Assignments(),
        Risks(),
        Stakeholders(),
        Ideas(),
        Items(),
        Sprints(),
    )
}

__all__ = ["COLLECTIONS", "Collection"]
