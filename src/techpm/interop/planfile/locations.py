"""Line and column of any element of a YAML document, for errors a person can act on."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from techpm.domain.errors import SourceLocation

PathPart = str | int


def _lc(node: Any) -> Any:
    return getattr(node, "lc", None)


def locate(
    tree: Any, path: Sequence[PathPart], file: str, *, at_key: bool = False
) -> SourceLocation:
    """The deepest element of `path` present in `tree`; parts not in the tree are skipped.

    With `at_key`, point at the last mapping key itself (for unknown fields) rather than at
    its value. Lines and columns are 1-based.
    """
    line, col = 0, 0
    lc = _lc(tree)
    if lc is not None:
        line, col = lc.line, lc.col
    node = tree
    last = len(path) - 1
    for n, part in enumerate(path):
        lc = _lc(node)
        if isinstance(node, dict) and _is_key(part, node):
            if lc is not None:
                try:
                    pos = lc.key(part) if (at_key and n == last) else lc.value(part)
                    line, col = pos[0], pos[1]
                except (KeyError, TypeError):
                    pass
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            if lc is not None:
                with suppress(KeyError, TypeError):
                    line, col = lc.item(part)
            node = node[part]
        elif isinstance(node, dict | list):
            continue  # a union member's tag or a field that is absent
    return SourceLocation(file=file, line=line + 1, column=col + 1, field=dotted(path, tree))


def _is_key(part: PathPart, node: dict[Any, Any]) -> bool:
    """A string key, or a number that the YAML reader kept as a key (`{a: 1, 2}`)."""
    return (isinstance(part, str) or not isinstance(part, bool)) and part in node


def dotted(path: Sequence[PathPart], tree: Any = None) -> str:
    """`tasks[0].children[1].duration`, keeping only the parts present in the document."""
    text = ""
    node = tree
    for part in path:
        if isinstance(node, dict) and isinstance(part, int) and _is_key(part, node):
            node = node[part]  # a number used as a key, such as `2` in `{name: 1, 2}`
            text += f".{part}" if text else str(part)
            continue
        if tree is not None:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            elif isinstance(part, str) and isinstance(node, dict):
                node = None  # a missing or unknown field: keep its name, stop walking
            else:
                continue
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
