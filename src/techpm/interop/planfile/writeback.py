"""Change values in a plan file and write it back with its comments, order and layout.

Values are edited in place in the text (`text_edit`): only the lines of the mappings that
change are touched. A layout the text editor cannot handle goes through the ruamel round
trip instead, which may reflow other lines. Either way the result is parsed again and must
hold exactly the intended data, or nothing is written.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import io
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from techpm.domain.errors import PlanFileError, TechpmError
from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.locations import PathPart
from techpm.interop.planfile.source import SourceMap
from techpm.interop.safe_write import FileChangedError, FileEdit, editing, locked, write_file

Path_ = tuple[PathPart, ...]
P = ParamSpec("P")
R = TypeVar("R")


def updated_text(
    document: YamlDocument,
    source: SourceMap,
    tasks: Mapping[str, Mapping[str, Any]],
    project: Mapping[str, Any],
) -> str:
    """The document's text with the given task and project keys set."""
    targets: dict[Path_, Mapping[str, Any]] = {
        source.tasks[task_id][0]: values for task_id, values in tasks.items() if values
    }
    if project:
        targets[("project",)] = project
    if not targets:
        return document.text
    import yaml  # imported here, as every parser: most commands write nothing

    from techpm.interop.planfile.text_edit import UnsupportedLayout, set_keys

    with contextlib.suppress(UnsupportedLayout, yaml.YAMLError, ValueError):
        edited = set_keys(document.text, targets)
        if _holds(document, edited, targets):
            return edited
    dumped = _dumped(document.text, targets)
    if not _holds(document, dumped, targets):
        raise PlanFileError(
            f"{document.file}: the change could not be written without altering other "
            "entries; nothing was written",
            code="planfile.edit_failed",
        )
    return dumped


def _holds(document: YamlDocument, text: str, targets: Mapping[Path_, Mapping[str, Any]]) -> bool:
    """Whether `text` reads as the document with exactly these values set."""
    from techpm.interop.planfile.text_edit import scalar

    try:
        expected = YamlDocument(document.file, document.text).data  # a fresh copy to change
        changed = YamlDocument(document.file, text).data
        # each value as YAML reads it back, all in one document
        values = [
            (path, key, value) for path, pairs in targets.items() for key, value in pairs.items()
        ]
        listed = "".join(f"- {scalar(value)}\n" for _, _, value in values)
        read_back = YamlDocument(document.file, listed).data
        for (path, key, _), value in zip(values, read_back, strict=True):
            _walk(expected, path)[key] = value
    except (TechpmError, LookupError, TypeError, ValueError):
        return False
    return bool(changed == expected)


def _dumped(text: str, targets: Mapping[Path_, Mapping[str, Any]]) -> str:
    """The ruamel round trip: any layout, at the cost of reflowing some untouched lines."""
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")  # dates as dates, so that they are written back unquoted
    rt.width = 4096  # keep long flow mappings on their lines
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)  # "  - item", the usual plan layout
    tree = rt.load(text)
    for path, values in targets.items():
        node = _walk(tree, path)
        for key, value in values.items():
            node[key] = value
    out = io.StringIO()
    rt.dump(tree, out)
    newline = "\r\n" if "\r\n" in text else "\n"
    return out.getvalue().replace("\n", newline) if newline != "\n" else out.getvalue()


def _walk(node: Any, path: Path_) -> Any:
    for part in path:
        node = node[part]
    return node


class PlanFileEdit:
    """A plan file read under its lock: its document (line endings kept, byte-order mark
    set aside) and `write`, which puts the mark back and writes only a changed text."""

    def __init__(self, edit: FileEdit, raw: bytes) -> None:
        self._edit = edit
        self.bom = raw.startswith(codecs.BOM_UTF8)
        body = raw[len(codecs.BOM_UTF8) :] if self.bom else raw
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PlanFileError(f"{edit.path}: cannot read: {exc}") from None
        self.document = YamlDocument(str(edit.path), text)

    @property
    def written(self) -> bool:
        return self._edit.written

    def write(self, text: str) -> bool:
        """Replace the file with `text`; False (and nothing written) when it is unchanged."""
        if text == self.document.text:
            return False
        self._edit.write((codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8"))
        return True


@contextlib.contextmanager
def editing_plan(path: Path) -> Iterator[PlanFileEdit]:
    """Read a plan file for a change, holding its lock until the block ends."""
    if path.is_dir():
        raise PlanFileError(f"{path}: is a directory, not a plan file")
    if not path.exists():
        raise PlanFileError(f"{path}: no such file", code="planfile.not_found")
    with editing(path) as edit:
        if edit.original is None:
            raise PlanFileError(f"{path}: no such file", code="planfile.not_found")
        yield PlanFileEdit(edit, edit.original)


def replace_plan(path: Path, text: str, read: YamlDocument | None = None) -> None:
    """Write `text`, made from the document `read` earlier, unless the file changed since
    (then `FileChangedError`, nothing written); the file's line endings and byte-order mark
    are kept."""
    with editing_plan(path) as edit:
        now = edit.document.text
        crlf = "\r\n" in now
        if read is not None and (now.replace("\r\n", "\n") if crlf else now) != read.text:
            raise FileChangedError(
                f"{path} changed since techpm read it (another command or program wrote "
                "it); nothing was written: run the command again"
            )
        edit.write(text.replace("\n", "\r\n") if crlf and "\r\n" not in text else text)


def holding_plan_lock(
    change: Callable[Concatenate[str | Path, P], R],
) -> Callable[Concatenate[str | Path, P], R]:
    """Run a change of the plan (its first argument) under the plan's lock, from its read to
    its write: two changes at once both land, the second made to the first's result."""

    @functools.wraps(change)
    def locked_change(plan: str | Path, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with locked(Path(plan)):
            return change(plan, *args, **kwargs)

    return locked_change


def replace_file(path: Path, text: str) -> None:
    """Write a whole file in one step (temporary file, sync, rename) under its lock."""
    write_file(path, text)
