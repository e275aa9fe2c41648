"""Line and column of an element of a large plan file without parsing all of it again.

The round-trip parser that knows every position reads about 150 KB a second: pointing one
bad reference in a 100,000-task plan at its line took two minutes and 1.5 GB. Block-style
YAML (what people and `techpm` write) shows its outline in its indentation, so here the
outline is followed line by line down the path (sequence items, mapping keys) to the
smallest entry holding the element, and only that entry's few lines go through the
round-trip parser. Every step is checked against the document's data (keys in order,
item counts, the entry's shape); anything unusual (tabs, several documents, an outline
that does not match) answers None and the caller parses the whole file as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from techpm.domain.errors import SourceLocation
from techpm.interop.planfile.locations import PathPart, dotted, locate

# a plain or simply quoted mapping key at the start of the text, with its colon
_KEY = re.compile(
    r"""(?:"(?P<dq>[^"\\]*)"|'(?P<sq>[^']*)'|(?P<plain>[^\s#'"{}\[\],&*!|>%@`?:-][^#]*?"""
    r"""|-[^\s#:][^#]*?))[ ]*:(?:[ ]|$)"""
)
_DOC_MARKER = re.compile(r"^(?:---|\.\.\.)(?:\s|$)|^%")


@dataclass(frozen=True)
class _Node:
    """A block collection: where its first entry starts, and the lines it may span."""

    line: int
    col: int
    end: int  # first line past the node
    kind: str  # "map" or "seq"


@dataclass(frozen=True)
class _Entry:
    start: int  # first line of the entry
    end: int  # first line past it
    col: int  # column of its key or dash
    key_pos: tuple[int, int]  # where a mapping key is (for a sequence item: its content)
    value_pos: tuple[int, int]  # where its value (or an item's content) starts
    child: _Node | None  # the value when it is itself a block collection


class BlockOutline:
    """The indentation outline of a YAML text, followed lazily and cached per node."""

    def __init__(self, text: str) -> None:
        self.lines = [line.rstrip("\r") for line in text.split("\n")]
        self.indent: list[int] = []
        self.content: list[bool] = []
        self.usable = not text.startswith("\ufeff")
        first_seen = False
        for line in self.lines:
            body = line.lstrip(" ")
            self.indent.append(len(line) - len(body))
            is_content = bool(body) and not body.startswith("#")
            if body.startswith("\t") or (is_content and _DOC_MARKER.match(line)):
                if is_content and not first_seen and line.rstrip() == "---":
                    is_content = False  # a leading `---` starts the only document
                else:
                    self.usable = False
            first_seen = first_seen or is_content
            self.content.append(is_content)
        self._entries: dict[tuple[int, int], list[_Entry] | None] = {}
        self._fragments: dict[tuple[int, int, int], Any] = {}

    # ---- the outline -------------------------------------------------------------------

    def root(self) -> _Node | None:
        first = self._next_content(0, len(self.lines))
        if first is None:
            return None
        return self._node_at(first, self.indent[first], len(self.lines))

    def _next_content(self, start: int, end: int) -> int | None:
        content = self.content
        for number in range(start, end):
            if content[number]:
                return number
        return None

    def _node_at(self, line: int, col: int, end: int) -> _Node | None:
        """The block collection whose first entry is at (line, col), if it is one."""
        text = self.lines[line][col:]
        if text == "-" or text.startswith("- "):
            return _Node(line, col, end, "seq")
        if _KEY.match(text):
            return _Node(line, col, end, "map")
        return None

    def entries(self, node: _Node) -> list[_Entry] | None:
        key = (node.line, node.col)
        if key not in self._entries:
            self._entries[key] = self._scan(node)
        return self._entries[key]

    def _scan(self, node: _Node) -> list[_Entry] | None:
        """The entries of a block node: lines at its column that start an item or a key."""
        starts = [node.line]
        indent, content, lines = self.indent, self.content, self.lines
        end = node.end
        for number in range(node.line + 1, node.end):
            if not content[number]:
                continue
            at = indent[number]
            if at > node.col:
                continue
            if at < node.col:
                end = number
                break
            text = lines[number][at:]
            dash = text == "-" or text.startswith("- ")
            if node.kind == "seq":
                if not dash:
                    end = number  # a mapping's next key after a compact sequence
                    break
                starts.append(number)
            elif dash:
                continue  # a compact sequence, the value of the key above
            elif _KEY.match(text):
                starts.append(number)
            else:
                return None
        found = []
        for n, start in enumerate(starts):
            stop = starts[n + 1] if n + 1 < len(starts) else end
            entry = self._entry(node, start, stop)
            if entry is None:
                return None
            found.append(entry)
        return found

    def _entry(self, node: _Node, start: int, stop: int) -> _Entry | None:
        line = self.lines[start]
        col = node.col
        if node.kind == "seq":
            rest = line[col + 1 :]
            body = rest.lstrip(" ")
            if not body or body.startswith("#"):
                nxt = self._next_content(start + 1, stop)
                if nxt is None:
                    return _Entry(start, stop, col, (start, col), (start, col), None)
                at = (nxt, self.indent[nxt])
            else:
                at = (start, col + 1 + len(rest) - len(body))
            child = self._node_at(at[0], at[1], stop)
            return _Entry(start, stop, col, at, at, child)
        match = _KEY.match(line[col:])
        if match is None:
            return None
        rest = line[col + match.end() :]
        body = rest.lstrip(" ")
        if body and not body.startswith("#"):
            at = (start, col + match.end() + len(rest) - len(body))
            return _Entry(start, stop, col, (start, col), at, None)
        nxt = self._next_content(start + 1, stop)
        if nxt is None:
            return _Entry(start, stop, col, (start, col), (start, col + match.end()), None)
        child = self._node_at(nxt, self.indent[nxt], stop)
        return _Entry(start, stop, col, (start, col), (nxt, self.indent[nxt]), child)

    @staticmethod
    def key_text(line: str, col: int) -> str | None:
        match = _KEY.match(line[col:])
        if match is None:
            return None
        quoted = match.group("dq") if match.group("dq") is not None else match.group("sq")
        return quoted if quoted is not None else match.group("plain").rstrip()

    # ---- locating ----------------------------------------------------------------------

    def locate(
        self,
        data: Any,
        path: Sequence[PathPart],
        file: str,
        parse: Callable[[str], Any],
        *,
        at_key: bool = False,
    ) -> SourceLocation | None:
        """Where `path` is, as `locations.locate` would say on the whole round-trip tree;
        None when the outline cannot tell for sure. `parse` reads a fragment round-trip."""
        if not self.usable:
            return None
        node = self.root()
        if node is None:
            return None
        pos = (node.line, node.col)
        value = data
        last = len(path) - 1
        for n, part in enumerate(path):
            entries = self.entries(node) if node is not None else None
            if isinstance(value, dict) and isinstance(part, str) and part in value:
                if node is None or node.kind != "map" or entries is None:
                    return None
                keys = [self.key_text(self.lines[e.start], e.col) for e in entries]
                if keys != [str(k) for k in value] or "<<" in keys:
                    return None  # not the outline of this mapping, or a merge key
                entry = entries[keys.index(part)]
                fragment_path: list[PathPart] = [part]
                value = value[part]
                pos = entry.key_pos if (at_key and n == last) else entry.value_pos
            elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
                if node is None or node.kind != "seq" or entries is None:
                    return None
                if len(entries) != len(value):
                    return None
                entry = entries[part]
                fragment_path = [0]
                value = value[part]
                pos = entry.value_pos
            else:
                continue  # a part `locate` skips too
            if n == last:
                break
            if entry.child is None or not isinstance(value, dict | list):
                return self._in_fragment(
                    entry, value, [*fragment_path, *path[n + 1 :]], path, data, file, parse, at_key
                )
            node = entry.child
        return SourceLocation(
            file=file, line=pos[0] + 1, column=pos[1] + 1, field=dotted(path, data)
        )

    def _in_fragment(
        self,
        entry: _Entry,
        value: Any,
        fragment_path: list[PathPart],
        path: Sequence[PathPart],
        data: Any,
        file: str,
        parse: Callable[[str], Any],
        at_key: bool,
    ) -> SourceLocation | None:
        """Parse the entry's own lines round-trip and locate the rest of the path in them."""
        key = (entry.start, entry.end, entry.col)
        if key not in self._fragments:  # several problems in one task parse it once
            first = self.lines[entry.start]
            text = "\n".join(
                [" " * entry.col + first[entry.col :], *self.lines[entry.start + 1 : entry.end]]
            )
            try:
                self._fragments[key] = parse(text + "\n")
            except Exception:  # e.g. an alias to an anchor outside the entry
                self._fragments[key] = None
        tree = self._fragments[key]
        if tree is None:
            return None
        inner = tree[0] if isinstance(tree, list) and tree else None
        if isinstance(tree, dict) and len(tree) == 1:
            inner = next(iter(tree.values()))
        if inner is None or not _same_shape(inner, value):
            return None
        found = locate(tree, fragment_path, file, at_key=at_key)
        line = (found.line or 1) - 1 + entry.start
        return SourceLocation(
            file=file, line=line + 1, column=found.column, field=dotted(path, data)
        )


def _same_shape(tree: Any, data: Any) -> bool:
    """The same mappings (keys in order) and sequences (lengths) all the way down."""
    if isinstance(data, dict):
        return (
            isinstance(tree, dict)
            and [str(k) for k in tree] == [str(k) for k in data]
            and all(_same_shape(tree[k], data[k]) for k in tree)
        )
    if isinstance(data, list):
        return (
            isinstance(tree, list)
            and len(tree) == len(data)
            and all(_same_shape(t, d) for t, d in zip(tree, data, strict=True))
        )
    return not isinstance(tree, dict | list)
