"""JSON text for large documents: the outer levels indented, each row on one line.

`json.dumps(..., indent=2)` runs the pure-Python encoder (the C one does no indentation),
and at 100,000 tasks the indented text of a schedule took longer than computing it. Here
the first levels are laid out as `indent=2` would, and anything deeper (a task row, a
booking) is written by the C encoder on one line: the same JSON values, written an order of
magnitude faster, and a diff of two schedules shows one line per task that moved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

INDENT = "  "


def dumps(data: Any, *, inline_depth: int = 2, default: Callable[[Any], Any] = str) -> str:
    """`data` as JSON text; containers deeper than `inline_depth` stay on one line."""
    compact = json.JSONEncoder(ensure_ascii=False, default=default, separators=(", ", ": "))
    out: list[str] = []
    _write(data, 0, inline_depth, compact.encode, out)
    return "".join(out)


def _write(
    value: Any, depth: int, inline_depth: int, encode: Callable[[Any], str], out: list[str]
) -> None:
    if depth >= inline_depth or not isinstance(value, dict | list | tuple) or not value:
        out.append(encode(value))
        return
    pad = "\n" + INDENT * (depth + 1)
    if isinstance(value, dict):
        out.append("{")
        for n, (key, item) in enumerate(value.items()):
            out.append(("," if n else "") + pad + encode(_key(key)) + ": ")
            _write(item, depth + 1, inline_depth, encode, out)
        out.append("\n" + INDENT * depth + "}")
        return
    out.append("[")
    for n, item in enumerate(value):
        out.append(("," if n else "") + pad)
        _write(item, depth + 1, inline_depth, encode, out)
    out.append("\n" + INDENT * depth + "]")


def _key(key: Any) -> str:
    """A mapping key spelled as `json.dumps` spells it."""
    if isinstance(key, str):
        return key
    if key is True or key is False or key is None:
        return json.dumps(key)
    if isinstance(key, int | float):
        return json.dumps(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
