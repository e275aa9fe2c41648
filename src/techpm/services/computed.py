"""Computed results kept as their own records: a schedule, report or forecast is stored with
the project version and the options it came from, so a second read of an unchanged plan is
served from the table instead of being computed again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from techpm.persistence.rows import ProjectRow
from techpm.persistence.rows.server import ComputedResultRow


@dataclass(frozen=True)
class StoredResult:
    content: bytes
    media_type: str
    project_version: int
    fresh: bool  # computed now (False: served from the store)


def canonical_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The options as stored: None values dropped (an option not given is its default), and
    every value as JSON spells it (dates as ISO text)."""
    kept = {k: v for k, v in options.items() if v is not None}
    loaded: dict[str, Any] = json.loads(json.dumps(kept, sort_keys=True, default=str))
    return loaded


def options_key(options: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical options: the same options in any order, one key."""
    text = json.dumps(canonical_options(options), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_result(
    session: Session,
    row: ProjectRow,
    kind: str,
    options: Mapping[str, Any],
    compute: Callable[[], tuple[bytes, str]],
    *,
    now: datetime,
) -> StoredResult:
    """The result of `kind` for the project as it is now: the stored one when this version
    was computed with these options, else `compute()` stored (older versions of this kind
    removed). Two requests computing at once both answer: the loser serves the winner's row.
    Does not commit."""
    key = options_key(options)
    version = row.version
    found = _find(session, row.id, kind, key, version)
    if found is not None:
        return StoredResult(found.content, found.media_type, version, fresh=False)
    content, media_type = compute()
    record = ComputedResultRow(
        project_id=row.id,
        kind=kind,
        options_key=key,
        options=canonical_options(options),
        project_version=version,
        media_type=media_type,
        content=content,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:  # another request stored the same result first
        winner = _find(session, row.id, kind, key, version)
        if winner is None:
            raise
        return StoredResult(winner.content, winner.media_type, version, fresh=False)
    session.execute(
        delete(ComputedResultRow)
        .where(
            ComputedResultRow.project_id == row.id,
            ComputedResultRow.kind == kind,
            ComputedResultRow.project_version < version,
        )
        .execution_options(synchronize_session=False)
    )
    return StoredResult(content, media_type, version, fresh=True)


def _find(
    session: Session, project_id: int, kind: str, key: str, version: int
) -> ComputedResultRow | None:
    return session.scalars(
        select(ComputedResultRow).where(
            ComputedResultRow.project_id == project_id,
            ComputedResultRow.kind == kind,
            ComputedResultRow.options_key == key,
            ComputedResultRow.project_version == version,
        )
    ).first()
