"""Unique IDs for an export that stay the same from one export to the next: the UID the
item came from (refs.msproject), else one derived from its id, never its position."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping

UID_RANGE = 1 << 30  # well inside MS Project's 32-bit UIDs


def allocate(items: Iterable[tuple[str, Mapping[str, str]]], namespace: str) -> dict[str, int]:
    """id -> UID. Kept UIDs are claimed first (in the given order); the others are hashed
    from the id and, on a collision, moved to the next free number, taking ids in sorted
    order so that the result depends on the set of ids alone."""
    items = list(items)
    taken: set[int] = {0}
    out: dict[str, int] = {}
    fresh: list[str] = []
    for item_id, refs in items:
        kept = _kept(refs.get("msproject"))
        if kept is not None and kept not in taken:
            taken.add(kept)
            out[item_id] = kept
        else:
            fresh.append(item_id)
    for item_id in sorted(fresh):
        uid = zlib.crc32(f"{namespace}:{item_id}".encode()) % (UID_RANGE - 1) + 1
        while uid in taken:
            uid = uid % (UID_RANGE - 1) + 1
        taken.add(uid)
        out[item_id] = uid
    return out


def _kept(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        uid = int(value)
    except ValueError:
        return None
    return uid if 0 < uid < 1 << 31 else None
