"""Add ideas and promoted epics to a plan file, keeping its comments, order and layout.

New entries are rendered with ruamel (the same settings as `writeback`) and spliced into the
original text, so every untouched line stays byte for byte as its author wrote it: a
round-trip dump alone would reflow multi-line flow mappings and rewrite `[{a: 1}]` as
`[a: 1]`. The spliced text is parsed again and must hold exactly the intended data; when a
layout is beyond the splicer (a non-empty flow list, a value spread over lines), the whole
file goes through the ruamel round trip instead, as `techpm progress` does.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from techpm.domain.errors import PlanFileError, TechpmError
from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.loader import LoadedPlan, load_plan_document
from techpm.interop.planfile.locations import PathPart
from techpm.interop.planfile.writeback import replace_plan

Path_ = tuple[PathPart, ...]
# a scalar written on one line: double-quoted, single-quoted or plain without spaces
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\n]|\'\')*\'|[^\s,{}\[\]#]+')


class _Unsupported(Exception):
    """A layout the splicer leaves to the round-trip dump."""


class PlanEdit:
    """Items appended to lists and keys set in mappings of one plan file; `text()` gives the
    changed file. Paths are keys and list positions from the document's root."""

    def __init__(self, document: YamlDocument) -> None:
        self.file = document.file
        text = document.text
        self.original = text if not text or text.endswith("\n") else text + "\n"
        self.expected: Any = copy.deepcopy(document.data)
        self._steps: list[tuple[str, Path_, Mapping[str, Any]]] = []

    def append(self, path: Sequence[PathPart], entry: Mapping[str, Any]) -> None:
        """Add `entry` at the end of the list at `path` (a missing top-level list is made)."""
        *owner, key = path
        parent = _walk(self.expected, owner)
        parent.setdefault(key, []).append(copy.deepcopy(dict(entry)))
        self._steps.append(("append", tuple(path), entry))

    def set(self, path: Sequence[PathPart], values: Mapping[str, Any]) -> None:
        """Set keys of the mapping at `path`, in place when present, else after its last."""
        _walk(self.expected, path).update(copy.deepcopy(dict(values)))
        self._steps.append(("set", tuple(path), values))

    def text(self) -> str:
        try:
            spliced = _Splicer(self.original).apply(self._steps)
            if _data(self.file, spliced) == self.expected:
                return spliced
        except (_Unsupported, TechpmError, LookupError, TypeError, ValueError, AttributeError):
            pass  # the round trip below is slower and reflows, but handles any layout
        dumped = _dumped(self.original, self._steps)
        if _data(self.file, dumped) != self.expected:
            raise PlanFileError(
                f"{self.file}: the change could not be written without altering other "
                "entries; nothing was written",
                code="planfile.edit_failed",
            )
        return dumped


def write_plan(
    path: Path,
    text: str,
    check: Callable[[LoadedPlan], object] | None = None,
    *,
    read: YamlDocument | None = None,
) -> LoadedPlan:
    """Validate the changed plan with the loader (and `check`, such as scheduling it to find
    a cycle), then swap it in (temp file and rename) unless the file changed since it was
    `read`: neither a bad change, a failed write nor a concurrent one loses the plan.
    Problems point at lines of the changed text."""
    loaded = load_plan_document(YamlDocument(f"{path} (as changed)", text))
    if check is not None:
        check(loaded)
    replace_plan(path, text, read)
    return loaded


class _Splicer:
    """Text insertions and replacements at offsets of the original, applied last first."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _lines(text)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.tree: Any = _yaml().load(text)
        self.edits: list[tuple[int, int, int, str]] = []  # start, end, order, replacement
        self.offset = _list_offset(self.tree)

    def apply(self, steps: list[tuple[str, Path_, Mapping[str, Any]]]) -> str:
        for kind, path, values in steps:
            if kind == "append":
                self._append(path, values)
            else:
                self._set(path, values)
        text = self.text
        for start, end, _, replacement in sorted(self.edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        return text

    def _splice(self, start: int, end: int, replacement: str, *, last: bool = False) -> None:
        """Insertions at one offset keep their order; `last` ones (new keys at the end of
        the file) follow every other."""
        order = len(self.edits) + (1 << 30 if last else 0)
        self.edits.append((start, end, order, replacement))

    def _at(self, line: int, col: int) -> int:
        return self.starts[line] + col

    def _append(self, path: Path_, entry: Mapping[str, Any]) -> None:
        *owner_path, key = path
        owner = _walk(self.tree, owner_path)
        if not isinstance(owner, CommentedMap):
            raise _Unsupported
        if key not in owner:
            if owner_path:
                raise _Unsupported
            self._new_key(str(key), entry)
            return
        seq = owner[key]
        if not isinstance(seq, CommentedSeq):
            raise _Unsupported
        if seq.fa.flow_style() or not seq:  # ruamel leaves `[]` unmarked
            if seq:
                raise _Unsupported
            self._fill_empty(owner, str(key), entry)
            return
        last = len(seq) - 1
        line, col = seq.lc.item(last)
        dash = seq.lc.col
        # one-line entries in a list of one-liners; an entry with children goes as a block
        flow = (
            isinstance(seq[last], CommentedMap)
            and seq[last].fa.flow_style()
            and not any(_nested(v) for v in entry.values())
        )
        end = self._end(line, dash + 1)
        at = self.starts[end + 1]
        self._splice(at, at, self._item(entry, dash, col, flow=flow))

    def _new_key(self, key: str, entry: Mapping[str, Any]) -> None:
        gap = "" if self.text.endswith("\n\n") or not self.text else "\n"
        block = f"{gap}{key}:\n" + self._item(entry, self.offset, self.offset + 2, flow=False)
        self._splice(len(self.text), len(self.text), block, last=True)

    def _fill_empty(self, owner: CommentedMap, key: str, entry: Mapping[str, Any]) -> None:
        """`key: []` becomes `key:` followed by the entry as a block item."""
        line, col = owner.lc.value(key)
        start = self._at(line, col)
        match = re.compile(r"\[[ \t]*\]").match(self.text, start)
        if match is None or owner.lc.key(key)[0] != line:
            raise _Unsupported
        while start > 0 and self.text[start - 1] in " \t":
            start -= 1
        rest = self.text[match.end() : self.starts[line + 1]]
        self._splice(start if not rest.strip() else match.start(), match.end(), "")
        dash = owner.lc.key(key)[1] + self.offset
        at = self.starts[line + 1]
        self._splice(at, at, self._item(entry, dash, dash + 2, flow=False))

    def _set(self, path: Path_, values: Mapping[str, Any]) -> None:
        node = _walk(self.tree, path)
        if not isinstance(node, CommentedMap):
            raise _Unsupported
        added: list[tuple[str, Any]] = []
        for key, value in values.items():
            if key in node:
                self._replace(node, key, value)
            else:
                added.append((key, value))
        if not added:
            return
        if node.fa.flow_style():
            start = self._at(node.lc.line, node.lc.col)
            close = _flow_end(self.text, start)
            at = close
            while self.text[at - 1] in " \t\n":
                at -= 1
            self._splice(at, at, "".join(f", {_pair(k, v)}" for k, v in added))
        else:
            end = self._end(node.lc.line, node.lc.col)
            at = self.starts[end + 1]
            lines = "".join(f"{' ' * node.lc.col}{_pair(k, v)}\n" for k, v in added)
            self._splice(at, at, lines)

    def _replace(self, node: CommentedMap, key: str, value: Any) -> None:
        if isinstance(node[key], CommentedMap | CommentedSeq):
            raise _Unsupported
        line, col = node.lc.value(key)
        if line != node.lc.key(key)[0]:
            raise _Unsupported
        match = _TOKEN.match(self.text, self._at(line, col))
        if match is None:
            raise _Unsupported
        self._splice(match.start(), match.end(), _pair(key, value).partition(": ")[2])

    def _end(self, line: int, indent: int) -> int:
        """The last line holding content of the node starting on `line`: content lines
        indented at least `indent` (blank and comment lines belong to what follows)."""
        last = line
        for n in range(line + 1, len(self.lines)):
            content = self.lines[n].strip()
            if not content or content.startswith("#"):
                continue
            if len(self.lines[n]) - len(self.lines[n].lstrip(" ")) < indent:
                break
            last = n
        return last

    def _item(self, entry: Mapping[str, Any], dash: int, key: int, *, flow: bool) -> str:
        key = max(key, dash + 2)
        lines = [
            line.removesuffix("\n")
            for line in _lines(_render(entry, flow=flow, offset=self.offset))
        ]
        head = " " * dash + "-" + " " * (key - dash - 1) + lines[0] + "\n"
        return head + "".join((" " * key + line if line else "") + "\n" for line in lines[1:])


def _lines(text: str) -> list[str]:
    """Lines ended by \\n only, as YAML counts them (`splitlines` also breaks at \\f)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _list_offset(tree: Any) -> int:
    """How far the file indents a list's dashes under its key (0 or 2), read off `tasks`."""
    if isinstance(tree, CommentedMap):
        tasks = tree.get("tasks")
        if isinstance(tasks, CommentedSeq) and tasks and not tasks.fa.flow_style():
            return int(tasks.lc.col) - int(tree.lc.key("tasks")[1])
    return 2


def _flow_end(text: str, start: int) -> int:
    """Offset of the bracket closing the flow collection opened at `start`."""
    depth = 0
    at_scalar_start = True
    n = start
    while n < len(text):
        char = text[n]
        if char in "{[":
            depth += 1
            at_scalar_start = True
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return n
            at_scalar_start = False
        elif char == ",":
            at_scalar_start = True
        elif char == ":" and text[n + 1 : n + 2] in (" ", "\n", ",", "}", "]"):
            at_scalar_start = True
        elif char == "#" and text[n - 1] in " \t\n":
            n = text.index("\n", n) if "\n" in text[n:] else len(text)
            continue
        elif char in "'\"" and at_scalar_start:
            match = _TOKEN.match(text, n)
            if match is None:
                raise _Unsupported
            n = match.end()
            at_scalar_start = False
            continue
        elif char not in " \t\n":
            at_scalar_start = False
        n += 1
    raise _Unsupported


def _yaml(offset: int = 2) -> YAML:
    yaml = YAML(typ="rt")  # dates as dates, so that they are written back unquoted
    yaml.width = 4096  # keep long flow mappings on their lines
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def _render(entry: Mapping[str, Any], *, flow: bool, offset: int) -> str:
    out = io.StringIO()
    _yaml(offset).dump(_node(entry, flow=True) if flow else _block(entry), out)
    return out.getvalue().removesuffix("...\n")  # the end marker after a kept final break


def _pair(key: str, value: Any) -> str:
    """`key: value` as YAML, quoted where the value needs it."""
    return _render({key: value}, flow=True, offset=2).strip()[1:-1]


def _block(entry: Mapping[str, Any]) -> CommentedMap:
    """An entry as a block mapping: nested mappings and lists of scalars inline, lists of
    mappings (children) as block lists of one-line mappings, multi-line text literal."""
    node = CommentedMap()
    for key, value in entry.items():
        node[key] = _node(value, flow=not _nested(value))
    return node


def _node(value: Any, *, flow: bool) -> Any:
    if isinstance(value, Mapping):
        node = CommentedMap((k, _node(v, flow=True)) for k, v in value.items())
        if flow:
            node.fa.set_flow_style()
        return node
    if isinstance(value, list | tuple):
        seq = CommentedSeq(_node(v, flow=True) for v in value)
        if flow:
            seq.fa.set_flow_style()
        return seq
    if _multiline(value) and not flow:
        return LiteralScalarString(value)
    if isinstance(value, str) and not _printable(value.replace("\n", "")):
        return DoubleQuotedScalarString(value)  # escaped: ruamel folds some when plain
    return value


def _nested(value: Any) -> bool:
    """A list of mappings or multi-line text: what reads better as a block."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, Mapping) for v in value)
    return _multiline(value)


def _multiline(value: Any) -> bool:
    """Text for a literal block: lines of printable characters ended by \\n (other line
    breaks and control characters are quoted with escapes instead)."""
    return isinstance(value, str) and "\n" in value and _printable(value.replace("\n", ""))


def _printable(text: str) -> bool:
    """No control characters nor line breaks (\\r, \\x85, \\u2028 ...) but tabs."""
    return all(c == "\t" or c.isprintable() for c in text)


def _dumped(text: str, steps: list[tuple[str, Path_, Mapping[str, Any]]]) -> str:
    yaml = _yaml()
    tree = yaml.load(text)
    for kind, path, values in steps:
        if kind == "set":
            node = _walk(tree, path)
            for name, value in values.items():
                node[name] = value
            continue
        owner = _walk(tree, path[:-1])
        seq = owner.get(path[-1])
        if not isinstance(seq, CommentedSeq):
            seq = owner[path[-1]] = CommentedSeq()
        if not seq:
            seq.fa.set_block_style()  # `[]` takes its first entry as a block list
        seq.append(_block(values))
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def _walk(node: Any, path: Sequence[PathPart]) -> Any:
    for part in path:
        node = node[part]
    return node


def _data(file: str, text: str) -> Any:
    return YamlDocument(file, text).data
