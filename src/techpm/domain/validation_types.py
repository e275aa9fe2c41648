"""A breach of a plan rule, as data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
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


def duplicate_ids(ids: Iterable[str], kind: str) -> list[Finding]:
    """One finding per id used more than once, in order of first use."""
    counts = Counter(ids)
    return [
        Finding(
            f"{kind}.duplicate_id",
            f"{kind} id {item!r} is used {count} times; ids must be unique",
            kind,
            item,
            "id",
        )
        for item, count in counts.items()
        if count > 1
    ]
