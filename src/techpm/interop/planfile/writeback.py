"""Change values in a plan file and write it back with its comments, order and layout."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.locations import PathPart
from techpm.interop.planfile.source import SourceMap


def updated_text(
    document: YamlDocument,
    source: SourceMap,
    tasks: Mapping[str, Mapping[str, Any]],
    project: Mapping[str, Any],
) -> str:
    """The document's text with the given task and project keys set (None removes one)."""
    yaml = YAML(typ="rt")  # dates as dates, so that they are written back unquoted
    yaml.width = 4096  # keep long flow mappings on their lines
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # "  - item", the usual plan layout
    tree = yaml.load(document.text)
    for task_id, values in tasks.items():
        node = _walk(tree, source.tasks[task_id][0])
        _apply(node, values)
    if project:
        _apply(tree["project"], project)
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def _walk(node: Any, path: tuple[PathPart, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _apply(node: Any, values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        if value is None:
            node.pop(key, None)
        else:
            node[key] = value


def replace_file(path: Path, text: str) -> None:
    """Write next to the file, then swap: a failure never leaves half a plan."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
