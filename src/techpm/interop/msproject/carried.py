"""What the writer and the reader agree on for plan data MSPDI has no field for: which
custom text fields carry it, how a value longer than a field is cut into several, and the
fingerprint of a calendar as written, which says on import whether it was edited since.

Each task and resource carries its techpm id in Text30 ("techpm id") and the plan-file
keys MSPDI cannot hold as compact JSON in Text29, Text28 ... ("techpm data"); the project
summary task (UID 0) carries the plan's own such data. MS Project keeps 255 characters of
a text field, so the JSON is cut into pieces of at most that length.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from techpm.domain.calendar import DayHours

VERSION = 1
PIECE = 255  # characters MS Project keeps of a custom text field
ID_ALIAS = "techpm id"
DATA_ALIAS = "techpm data"
# (kind, Text30 field id, field ids of Text29 .. Text11): MS Project's FieldID numbers
TASK_TEXT30 = 188744016
RESOURCE_TEXT30 = 205521140
PIECES = 19
FIELDS = {
    "task": (TASK_TEXT30, tuple(TASK_TEXT30 - n for n in range(1, PIECES + 1))),
    "resource": (RESOURCE_TEXT30, tuple(RESOURCE_TEXT30 - n for n in range(1, PIECES + 1))),
}
CAPACITY = PIECE * PIECES
ZIPPED = "z:"
MAX_UNPACKED = 10_000_000


def field_name(kind: str, field_id: int) -> str:
    """Text30 ... Text11 of tasks or resources."""
    return f"Text{30 - (FIELDS[kind][0] - field_id)}"


def alias(kind: str, field_id: int) -> str:
    text30, pieces = FIELDS[kind]
    if field_id == text30:
        return ID_ALIAS
    n = pieces.index(field_id) + 1
    return DATA_ALIAS if n == 1 else f"{DATA_ALIAS} {n}"


def encode(data: Mapping[str, Any]) -> str:
    """Compact JSON without a whitespace character: inside strings each is escaped
    (`\\u0020`), so that no tool trimming a field value can change it."""
    text = json.dumps(data, default=_plain, separators=(",", ":"), ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if c.isspace() else c for c in text)


def packed(data: Mapping[str, Any]) -> str:
    """The data as written: JSON a person can read in MS Project's column, or when that
    does not fit the fields, compressed (`z:` and base64 of zlib)."""
    text = encode(data)
    if len(text) <= CAPACITY:
        return text
    return ZIPPED + base64.b64encode(zlib.compress(text.encode(), 9)).decode("ascii")


def unpacked(text: str) -> str | None:
    """The JSON of `packed` text, None when it is damaged."""
    if not text.startswith(ZIPPED):
        return text
    try:
        raw = base64.b64decode(text[len(ZIPPED) :], validate=True)
        inflater = zlib.decompressobj()
        out = inflater.decompress(raw, MAX_UNPACKED)
    except (ValueError, zlib.error):
        return None
    if inflater.unconsumed_tail or not inflater.eof:
        return None  # cut short, or larger than any data techpm writes
    return out.decode("utf-8", errors="replace")


def pieces(text: str) -> list[str]:
    """The text in pieces of at most PIECE characters."""
    return [text[n : n + PIECE] for n in range(0, len(text), PIECE)]


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def calendar_check(week: Mapping[int, DayHours], days: Mapping[date, DayHours]) -> str:
    """A fingerprint of a calendar's own week days and own exception days, as the reader
    finds them: equal fingerprints mean the calendar is as techpm wrote it."""
    canonical = {
        "week": {str(n): [list(s) for s in week[n]] for n in sorted(week)},
        "days": {d.isoformat(): [list(s) for s in days[d]] for d in sorted(days)},
    }
    text = json.dumps(canonical, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def joined(values: Iterable[tuple[int, str]], kind: str) -> str:
    """The pieces found on a record (field id, value), in field order."""
    order = {field_id: n for n, field_id in enumerate(FIELDS[kind][1])}
    found = sorted((order[f], v) for f, v in values if f in order)
    return "".join(v for _, v in found)
