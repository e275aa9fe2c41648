"""Parse an MSPDI file safely: defusedxml refuses entity declarations and external
references (billion laughs, XXE), and every failure names the file and the line."""

from __future__ import annotations

import codecs
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml.ElementTree import DefusedXMLParser

from techpm.interop.exchange import fail

MSPDI_NS = "http://schemas.microsoft.com/project"
_DECLARED = re.compile(rb"^<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# elements whose line is remembered, so that a problem found later can point at it
_LOCATED = frozenset({"Task", "Resource", "Assignment", "Calendar"})


@dataclass
class Source:
    """The parsed tree, its namespace prefix (`{ns}` or empty) and the raw bytes, from which
    the line of a record is found when a problem needs pointing at (parsing stays fast)."""

    path: Path
    root: Element
    prefix: str
    raw: bytes = b""
    _ordinals: dict[Element, tuple[str, int]] = field(default_factory=dict, repr=False)

    def where(self, element: Element, label: str) -> str:
        line = self.line_of(element)
        return f"line {line}, {label}" if line else label

    def line_of(self, element: Element) -> int | None:
        """The line where a Task, Resource, Assignment or Calendar element starts."""
        if not self._ordinals:
            counts: dict[str, int] = {}
            for node in self.root.iter():
                tag = node.tag[node.tag.find("}") + 1 :]
                if tag in _LOCATED:
                    self._ordinals[node] = (tag, counts.get(tag, 0))
                    counts[tag] = counts.get(tag, 0) + 1
        found = self._ordinals.get(element)
        if found is None:
            return None
        tag, ordinal = found
        pattern = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?" + tag.encode() + rb"[\s>/]")
        for n, match in enumerate(pattern.finditer(self.raw)):
            if n == ordinal:
                return self.raw.count(b"\n", 0, match.start()) + 1
        return None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Building a large tree triggers the cycle collector over and over for nothing: a
    parse makes no cycles. Pausing it halves the time of a big import."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_mspdi(path: Path) -> Source:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail(path, "", "no such file", code="import.not_found") from None
    except OSError as exc:
        raise fail(path, "", f"cannot read: {exc.strerror}", code="import.unreadable") from None
    _check_encoding(path, raw)
    parser = DefusedXMLParser(target=TreeBuilder(), forbid_dtd=False)
    parser.parser.StartDoctypeDeclHandler = _no_external_dtd
    try:
        with paused_gc():
            parser.feed(raw)
            root = parser.close()
    except EntitiesForbidden as exc:
        raise fail(
            path,
            _line(parser),
            f"the file declares the entity {exc.name!r}; entity declarations are refused "
            "(they can expand without bound or read other files)",
            code="import.unsafe_xml",
        ) from None
    except ExternalReferenceForbidden as exc:
        raise fail(
            path,
            _line(parser),
            f"the file refers to an external resource ({exc.sysid}); external references "
            "are refused",
            code="import.unsafe_xml",
        ) from None
    except DTDForbidden as exc:
        raise fail(
            path,
            _line(parser),
            f"the file refers to an external DTD ({exc.sysid or exc.pubid}); external "
            "references are refused",
            code="import.unsafe_xml",
        ) from None
    except DefusedXmlException as exc:
        raise fail(path, _line(parser), f"refused: {exc}", code="import.unsafe_xml") from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise fail(
            path,
            f"line {line}, column {column + 1}",
            f"not well-formed XML ({reason}); the file may be truncated or damaged",
            code="import.bad_xml",
        ) from None
    except LookupError as exc:  # an encoding Python does not know
        raise fail(path, "line 1", f"unknown encoding: {exc}", code="import.bad_encoding") from None
    tag = root.tag
    prefix = tag[: tag.index("}") + 1] if tag.startswith("{") else ""
    local = tag[len(prefix) :]
    if local != "Project" or prefix not in ("", "{" + MSPDI_NS + "}"):
        raise fail(
            path,
            "line 1",
            f"not an MS Project XML (MSPDI) file: its root element is <{local}>"
            + (f" in namespace {prefix[1:-1]}" if prefix else "")
            + f", not <Project> in {MSPDI_NS}",
            code="import.not_mspdi",
        )
    return Source(path, root, prefix, raw)


def _no_external_dtd(name: str, sysid: str | None, pubid: str | None, internal: bool) -> None:
    """An internal DOCTYPE is harmless once entities are refused; an external one is not
    fetched by expat, but it has no business in an MSPDI file either."""
    if sysid or pubid:
        raise DTDForbidden(name, sysid, pubid)


def _line(parser: DefusedXMLParser) -> str:
    try:
        return f"line {parser.parser.CurrentLineNumber}"
    except AttributeError:
        return ""


def _check_encoding(path: Path, raw: bytes) -> None:
    """Text that is not in the encoding the file declares, said plainly (expat only says
    'invalid token')."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # expat reads UTF-16 with a byte order mark
    declared = _DECLARED.match(raw.lstrip(codecs.BOM_UTF8))
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding.replace("_", "-") not in ("utf-8", "utf8"):
        return
    if b"\x00" in raw[:200]:
        raise fail(
            path,
            "line 1",
            "the file looks like UTF-16 without a byte order mark; save it as UTF-8 "
            "(or UTF-16 with a byte order mark)",
            code="import.bad_encoding",
        )
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise fail(
            path,
            f"line {line}",
            f"byte 0x{raw[exc.start]:02x} is not UTF-8, the encoding the file "
            + ("declares" if declared else "has when it declares none")
            + "; save it as UTF-8 or declare its real encoding",
            code="import.bad_encoding",
        ) from None
