"""Set keys of mappings in a YAML text by editing only the characters of those values.

The mappings are found with the events of a C parser (libyaml through PyYAML), which give
each value's exact span; a new key goes after the mapping's last entry, on a line of its
own in a block mapping (below a trailing comment, at the indent of the other keys) and as
`, key: value` before the `}` of a flow mapping. Every other character of the file, line
endings and alignment included, stays as it was; a layout it cannot edit this way (an
anchored mapping, a value that is a collection) raises `UnsupportedLayout`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml

from techpm.interop.planfile.locations import PathPart

Path_ = tuple[PathPart, ...]
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/+-]*")


class UnsupportedLayout(Exception):
    """A layout the span editor leaves to the round-trip writer."""


@dataclass
class _Entry:
    key_start: int
    value_start: int = -1
    value_end: int = -1
    scalar: bool = False
    empty: bool = False


@dataclass
class _Mapping:
    """Where a mapping and its entries sit in the text (character offsets)."""

    flow: bool
    start: int
    indent: int = -1  # column of the first key (block mappings)
    content_end: int = -1  # end of the last value's last character
    end: int = -1  # the closing `}` of a flow mapping
    entries: dict[str, _Entry] = field(default_factory=dict)


@dataclass
class _Frame:
    kind: str  # "map" or "seq"
    below: dict[PathPart, Any] | None  # target paths under this collection, as a trie
    target: _Mapping | None = None
    expect_key: bool = True
    key: PathPart | None = None
    index: int = 0
    entry: _Entry | None = None


def locate(text: str, paths: list[Path_]) -> dict[Path_, _Mapping]:
    """The spans of the mappings at `paths` (keys and list positions from the root)."""
    trie: dict[PathPart, Any] = {}
    for path in paths:
        node = trie
        for part in path:
            node = node.setdefault(part, {})
        node[None] = path  # type: ignore[index]
    found: dict[Path_, _Mapping] = {}
    stack: list[_Frame] = []
    root: dict[PathPart, Any] | None = trie
    last_end = 0
    for event in yaml.parse(text, Loader=_Loader):
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = stack.pop()
            if frame.target is not None:
                frame.target.content_end = last_end
                if frame.target.flow:
                    frame.target.end = event.start_mark.index
            if kind is yaml.MappingEndEvent and event.end_mark.index > event.start_mark.index:
                last_end = event.end_mark.index  # `}` of a flow mapping
            elif kind is yaml.SequenceEndEvent and event.end_mark.index > event.start_mark.index:
                last_end = event.end_mark.index
            _done(stack, last_end)
            continue
        if kind not in (
            yaml.ScalarEvent,
            yaml.AliasEvent,
            yaml.MappingStartEvent,
            yaml.SequenceStartEvent,
        ):
            continue
        # a node: where does it sit in its parent?
        below: dict[PathPart, Any] | None
        if not stack:
            below = root
        else:
            parent = stack[-1]
            if parent.kind == "map" and parent.expect_key:
                if parent.target is not None:
                    if kind is not yaml.ScalarEvent:
                        raise UnsupportedLayout
                    parent.entry = _Entry(event.start_mark.index)
                    if parent.target.indent < 0:
                        parent.target.indent = event.start_mark.column
                    if event.value in parent.target.entries:
                        raise UnsupportedLayout
                    parent.target.entries[event.value] = parent.entry
                if kind is yaml.ScalarEvent:
                    parent.key = event.value
                    parent.expect_key = False
                    continue
                parent.key = None
                below = None
            else:
                at: PathPart | None = parent.key if parent.kind == "map" else parent.index
                below = parent.below.get(at) if parent.below and at is not None else None
                if parent.target is not None and parent.entry is not None:
                    entry = parent.entry
                    entry.value_start = event.start_mark.index
                    entry.scalar = kind is yaml.ScalarEvent
                    entry.empty = entry.scalar and event.value == "" and event.style is None
        if kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
            if below is not None and None in below:
                raise UnsupportedLayout  # a target that is not a mapping
            last_end = event.end_mark.index
            _done(stack, last_end)
            continue
        frame = _Frame("map" if kind is yaml.MappingStartEvent else "seq", below)
        if below is not None and None in below:
            if kind is not yaml.MappingStartEvent or event.anchor is not None:
                raise UnsupportedLayout  # an anchored mapping may be used elsewhere too
            frame.target = _Mapping(bool(event.flow_style), event.start_mark.index)
            found[below[None]] = frame.target  # type: ignore[index]
        stack.append(frame)
    return found


def _done(stack: list[_Frame], last_end: int) -> None:
    """A node has ended: its parent moves on to the next key or position."""
    if not stack:
        return
    parent = stack[-1]
    if parent.kind == "seq":
        parent.index += 1
        return
    if parent.expect_key:  # a complex key ended
        parent.expect_key = False
        return
    if parent.entry is not None:
        parent.entry.value_end = last_end
        parent.entry = None
    parent.expect_key = True


def scalar(value: Any) -> str:
    """A value as a YAML scalar that reads back as the same value in block or flow context."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"not a finite number: {value}")
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and not text.endswith(" "):
        loaded = yaml.load(f"k: {text}", Loader=_Loader)
        if loaded == {"k": text}:
            return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a double-quoted scalar


def set_keys(text: str, targets: Mapping[Path_, Mapping[str, Any]]) -> str:
    """`text` with the keys of the mappings at the target paths set to the given values."""
    spans = locate(text, list(targets))
    newline = "\r\n" if "\r\n" in text else "\n"
    edits: list[tuple[int, int, int, str]] = []  # start, end, order, replacement
    for path, values in targets.items():
        span = spans.get(path)
        if span is None:
            raise UnsupportedLayout
        added: list[str] = []
        for key, value in values.items():
            rendered = scalar(value)
            entry = span.entries.get(key)
            if entry is None:
                added.append(f"{key}: {rendered}")
                continue
            if not entry.scalar or entry.empty or entry.value_start < 0:
                raise UnsupportedLayout
            if text[entry.value_start : entry.value_end].endswith("\n"):
                raise UnsupportedLayout  # a block scalar
            edits.append((entry.value_start, entry.value_end, len(edits), rendered))
        if added:
            edits.append(_insertion(text, span, added, newline, len(edits)))
    pieces: list[str] = []
    at = 0
    for start, end, _, replacement in sorted(edits):
        if start < at:
            raise UnsupportedLayout  # two edits of one span
        pieces += (text[at:start], replacement)
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def _insertion(
    text: str, span: _Mapping, pairs: list[str], newline: str, order: int
) -> tuple[int, int, int, str]:
    if span.flow:
        if not span.entries:
            at = span.start + 1
            return at, at, order, ", ".join(pairs)
        at = span.content_end
        return at, at, order, "".join(f", {pair}" for pair in pairs)
    if span.indent < 0:
        raise UnsupportedLayout
    indent = " " * span.indent
    at = span.content_end
    if at > 0 and text[at - 1] == "\n":  # a block scalar ends after its line break
        return at, at, order, "".join(f"{indent}{pair}{newline}" for pair in pairs)
    line_end = text.find("\n", at)
    if line_end < 0:
        line_end = len(text)
    elif line_end > 0 and text[line_end - 1] == "\r":
        line_end -= 1
    return line_end, line_end, order, "".join(f"{newline}{indent}{pair}" for pair in pairs)
