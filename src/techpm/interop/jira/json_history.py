"""Status changes from a Jira issue's changelog, kept as the task's history in the plan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from techpm.interop.jira.json_fields import FieldReader
from techpm.interop.jira.json_values import clean_text, utc_instant
from techpm.interop.jira.records import Change


def status_history(
    reader: FieldReader,
    raw: dict[str, Any],
    where: str,
    created: datetime | None,
    status: str | None,
) -> tuple[Change, ...]:
    """Status changes from the changelog, and the status the issue was created in."""
    if "changelog" not in raw:
        return ()
    log = reader.obj(raw.get("changelog"), f"{where}.changelog")
    histories = reader.items(log.get("histories"), f"{where}.changelog.histories")
    total = log.get("total")
    if isinstance(total, int) and total > len(histories):
        reader.cut_changelogs += 1
    changes = []
    for m, entry in enumerate(histories):
        at = f"{where}.changelog.histories[{m}]"
        record = reader.obj(entry, at)
        moment = utc_instant(record.get("created"))
        for k, item in enumerate(reader.items(record.get("items"), f"{at}.items")):
            change = reader.obj(item, f"{at}.items[{k}]")
            if "status" not in (change.get("field"), change.get("fieldId")):
                continue
            to = clean_text(change.get("toString"))
            if moment is None:
                reader.bad_dates += 1
            elif to:
                changes.append(Change(moment, to, clean_text(change.get("fromString"))))
    changes.sort(key=lambda c: c.at)
    first = changes[0].from_ if changes else status
    if created is not None and first and (not changes or changes[0].at >= created):
        changes.insert(0, Change(created, first))
    return tuple(changes)
