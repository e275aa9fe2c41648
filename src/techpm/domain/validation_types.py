"""A breach of a plan rule, as data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """A breach of a plan rule, pinned to a task, calendar or the project and one of its fields."""

    code: str
    message: str
    kind: str  # "task", "resource", "calendar" or "project"
    subject: str
    field: str | None = None
    position: int | None = None  # index within a list field (e.g. the n-th `after` entry)
    subfield: str | None = None  # a key inside that list entry
