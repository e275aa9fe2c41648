"""One page of a collection: filtered by its fields (`?status=open`, `?assignee=ann`,
`?critical=true`), sorted (`?sort=-finish,name`) and cut by an opaque cursor."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from techpm.services.collections.errors import FieldError

MAX_LIMIT = 500
RESERVED = frozenset({"limit", "cursor", "sort", "include"})
Entry = dict[str, Any]
Getter = Callable[[Entry, str], Any]


@dataclass(frozen=True)
class ListQuery:
    filters: Mapping[str, str] = field(default_factory=dict)
    sort: tuple[str, ...] = ()
    limit: int = 100
    cursor: str | None = None


def parse_sort(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def page(
    entries: Sequence[Entry],
    query: ListQuery,
    *,
    known: Iterable[str],
    value: Getter,
) -> tuple[list[Entry], str | None]:
    """The entries on the page the query asks for and the cursor of the next, if any.
    `known` are the names one may filter and sort by; `value` reads one from an entry."""
    names = set(known)
    for name in (*query.filters, *(s.removeprefix("-") for s in query.sort)):
        if name not in names:
            raise FieldError(
                name,
                f"not a field to filter or sort by; use one of: {', '.join(sorted(names))}",
                code="request.unknown_filter",
            )
    chosen = [e for e in entries if all(_matches(value(e, k), v) for k, v in query.filters.items())]
    for key in reversed(query.sort):
        name, descending = key.removeprefix("-"), key.startswith("-")
        present = [e for e in chosen if value(e, name) is not None]
        missing = [e for e in chosen if value(e, name) is None]
        present.sort(key=lambda e: _order(value(e, name)), reverse=descending)
        chosen = present + missing  # entries without the field last, either way
    start = _offset(query.cursor)
    end = start + query.limit
    after = _cursor(end) if end < len(chosen) else None
    return chosen[start:end], after


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _matches(value: Any, wanted: str) -> bool:
    if isinstance(value, list | tuple | set | frozenset):
        return any(_text(v) == wanted for v in value)
    return _text(value) == wanted


def _order(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool | int | float):
        return (0, float(value))
    if isinstance(value, str):
        return (1, value)
    return (2, json.dumps(value, sort_keys=True, default=str))


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = json.loads(raw)["o"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        offset = None
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset < 2**31:
        raise FieldError("cursor", "not a cursor this list gave", code="request.bad_cursor")
    return offset
