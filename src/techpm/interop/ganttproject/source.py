"""A .gan file's XML, parsed without expanding entities, and its attributes read as values."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeElementTree
from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)

from techpm.interop.exchange import fail

_ID_CHARS = re.compile(r"[^A-Za-z0-9_.\-]")


def parse_xml(path: Path) -> Element:
    """The document's root; DTD entities and external references are refused, never expanded."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(path, "", f"cannot read: {exc.strerror}", code="import.unreadable") from None
    try:
        root: Element = SafeElementTree.fromstring(data)
    except (EntitiesForbidden, DTDForbidden) as exc:
        raise fail(
            path,
            "DOCTYPE",
            f"declares entity {getattr(exc, 'name', '')!r}; entity declarations are refused "
            "(they can expand into gigabytes)",
            code="import.unsafe_xml",
        ) from None
    except ExternalReferenceForbidden as exc:
        raise fail(
            path,
            "DOCTYPE",
            f"refers to an external resource ({exc.sysid or exc.pubid}); "
            "external references are refused",
            code="import.unsafe_xml",
        ) from None
    except LookupError as exc:  # an encoding Python does not know
        raise fail(path, "<?xml?>", f"cannot decode: {exc}", "import.bad_encoding") from None
    except DefusedXmlException as exc:
        raise fail(path, "", f"unsafe XML refused: {exc}", code="import.unsafe_xml") from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise fail(
            path, f"line {line}, column {column + 1}", f"invalid XML: {reason}", "import.bad_xml"
        ) from None
    return root


def slug(text: str) -> str:
    """Letters, digits and `_ . -` only, not starting with `.` or `-`."""
    cleaned = _ID_CHARS.sub("_", text.strip())
    return cleaned if cleaned[:1].isalnum() or cleaned[:1] == "_" else f"x{cleaned}"


def where(el: Element) -> str:
    ident = el.get("id")
    return f"<{el.tag} id={ident!r}>" if ident is not None else f"<{el.tag}>"


class Source:
    """The parsed file, its attribute values checked as read, and what was skipped."""

    def __init__(self, path: Path, root: Element) -> None:
        self.path = path
        self.root = root
        self.skipped: dict[str, int] = {}

    def skip(self, what: str, count: int = 1) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + count

    def date_of(self, el: Element, attr: str) -> date:
        text = el.get(attr, "")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise fail(
                self.path, f"{where(el)} {attr}", f"{text!r} is not a date (YYYY-MM-DD)"
            ) from None

    def number(self, el: Element, attr: str, default: float = 0) -> float:
        text = el.get(attr)
        if text is None or text.strip() == "":
            return default
        try:
            return float(text)
        except ValueError:
            raise fail(self.path, f"{where(el)} {attr}", f"{text!r} is not a number") from None
