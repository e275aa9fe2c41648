"""A YAML document: its data from a fast parser, and its line/column map from a round-trip
parser, built only when an error needs pointing at."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml_rs

from techpm.domain.errors import InvalidPlanError, PlanFileError, Problem, SourceLocation
from techpm.interop.planfile.limits import parser_refusal, within_expansion
from techpm.interop.planfile.locations import PathPart, dotted, locate
from techpm.interop.planfile.not_a_plan import binary_advice

if TYPE_CHECKING:
    from techpm.interop.planfile.block_locate import BlockOutline


def _round_trip_loader() -> Any:
    """ruamel's round-trip loader, keeping dates as text so that a bad one is reported by
    field, line and column (imported here: only a file with an error needs it)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor

    class _PlanConstructor(RoundTripConstructor):
        pass

    _PlanConstructor.add_constructor(
        "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
    )
    loader = YAML(typ="rt")
    loader.Constructor = _PlanConstructor
    return loader


class YamlDocument:
    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        try:
            self.data: Any = yaml_rs.loads(text)
        except Exception as exc:  # the round-trip parser says where and why
            refused = parser_refusal(str(exc), file, text)
            if refused is not None:  # past a limit: the slow parser would hang or blow up
                raise InvalidPlanError([refused]) from None
            tree = self.tree
            if not within_expansion(tree):
                refused = parser_refusal("alias limit", file, text)
                raise InvalidPlanError([refused] if refused else []) from None
            self.data = _plain(tree)

    @cached_property
    def tree(self) -> Any:
        """The document with comments and positions (ruamel round-trip), parsed on demand."""
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        loader = _round_trip_loader()
        try:
            return loader.load(self.text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = SourceLocation(self.file, mark.line + 1, mark.column + 1) if mark else None
            what = " ".join(part for part in (exc.context, exc.problem) if part)
            code = "planfile.duplicate_key" if "duplicate key" in what else "planfile.bad_yaml"
            raise InvalidPlanError([Problem(code, f"not valid YAML: {what}", where)]) from None
        except RecursionError:
            raise InvalidPlanError(
                [
                    Problem(
                        "planfile.too_deep",
                        "values are nested too deeply",
                        SourceLocation(self.file),
                    )
                ]
            ) from None
        except (YAMLError, ValueError) as exc:
            raise InvalidPlanError(
                [Problem("planfile.bad_yaml", f"not valid YAML: {exc}", SourceLocation(self.file))]
            ) from None

    def at(self, path: Sequence[PathPart], *, at_key: bool = False) -> SourceLocation:
        if "tree" not in self.__dict__:  # not parsed round-trip yet: try the outline first
            found = self.outline.locate(self.data, path, self.file, _fragment, at_key=at_key)
            if found is not None:
                return found
        return locate(self.tree, path, self.file, at_key=at_key)

    @cached_property
    def outline(self) -> BlockOutline:
        """The indentation outline, to locate an element without parsing the whole file."""
        from techpm.interop.planfile.block_locate import BlockOutline  # only errors need it

        return BlockOutline(self.text)


_fragment_loader: list[Any] = []


def _fragment(text: str) -> Any:
    """A few lines of the file, parsed round-trip (the loader is made once)."""
    if not _fragment_loader:
        _fragment_loader.append(_round_trip_loader())
    return _fragment_loader[0].load(text)


def read_document(path: Path) -> YamlDocument:
    try:
        raw = path.read_bytes()
        advice = binary_advice(path, raw[:8192])
        if advice is not None:
            raise PlanFileError(advice, code="planfile.not_a_plan")
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise PlanFileError(f"{path}: no such file", code="planfile.not_found") from None
    except IsADirectoryError:
        raise PlanFileError(f"{path}: is a directory, not a plan file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"{path}: cannot read: {exc}") from None
    return YamlDocument(str(path), text.removeprefix("\ufeff"))  # a byte-order mark


def _plain(node: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


class DataDocument(YamlDocument):
    """A plan document that is already data (an API body, an edited plan): no text to parse
    and no lines, so a problem is located by its field path alone (`tasks[0].duration`)."""

    def __init__(self, file: str, data: Any) -> None:
        self.file = file
        self.text = ""
        self.data = data

    def at(self, path: Sequence[PathPart], *, at_key: bool = False) -> SourceLocation:
        return SourceLocation(self.file, field=dotted(path, self.data) or None)
