"""Which format a file is in, from its content: an `.xml` may be MS Project or Primavera,
a `.csv` a Jira export or a task list, a `.json` Jira, Trello or techpm's own."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from pathlib import Path

from techpm.interop.exchange import ImportFailed
from techpm.interop.jira.csv_columns import by_values, looks_like_jira

SNIFF_BYTES = 65536
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: MS Project .mpp (and Office 97)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)([^>]*)>")
_SKIP = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>[]*(\[.*?\])?\s*>", re.DOTALL)
_TJP = re.compile(r"^\s*project\s+[\w.-]*\s*\"", re.MULTILINE)
_YAML_PLAN = re.compile(r"^project\s*:", re.MULTILINE)

UNSUPPORTED = {
    "APIBusinessObjects": "Primavera P6 XML",
    "Project:P6": "Primavera P6 XML",
}


def detect_format(path: Path) -> str:
    """One of: mspdi, mpp, gan, jira-csv, jira-json, trello, tjp, csv, techpm-json, plan."""
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError as exc:
        raise ImportFailed(
            f"{path}: cannot read: {exc.strerror}", code="import.unreadable"
        ) from None
    if head.startswith(OLE2):
        return "mpp"
    text = _decode(head)
    stripped = text.lstrip()
    if stripped.startswith("<"):
        return _xml_format(path, stripped)
    if stripped.startswith(("{", "[")):
        return _json_format(path)
    if _TJP.search(text):
        return "tjp"
    if _YAML_PLAN.search(text):
        return "plan"
    header = _csv_header(text)
    if header:
        names = {h.strip().lower() for h in header}
        if looks_like_jira(header) or (
            {"summary"} & names and names & {"issue key", "issue id", "issue type"}
        ):
            return "jira-csv"
        if {"id", "name"} <= names:
            return "csv"
        if by_values(header, _csv_rows(text)):
            return "jira-csv"  # headers in another language; keys and ids tell
    raise ImportFailed(
        f"{path.name}: not a format techpm reads (MS Project XML or .mpp, GanttProject, Jira "
        "CSV or JSON, Trello JSON, TaskJuggler, techpm CSV or JSON, or a techpm plan)",
        code="import.unknown_format",
    )


def _decode(head: bytes) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return head.decode(encoding, errors="replace")
    return head.decode("utf-8", errors="replace")


def _xml_format(path: Path, text: str) -> str:
    body = _SKIP.sub("", text)
    root = _ROOT.search(body)
    if root is None:
        raise ImportFailed(f"{path.name}: XML without a root element", code="import.bad_xml")
    name, attributes = root.group(1), root.group(2)
    if name in UNSUPPORTED or "primavera" in attributes.lower():
        raise ImportFailed(
            f"{path.name}: this is {UNSUPPORTED.get(name, 'Primavera P6 XML')}, which techpm "
            "does not read yet; export MS Project XML (MSPDI) from P6 instead",
            code="import.unsupported",
        )
    if name.split(":")[-1] == "Project" and "schemas.microsoft.com/project" in attributes:
        return "mspdi"
    if name == "Project" and re.search(r"<Tasks\b", body):
        return "mspdi"  # an MSPDI file that left out its namespace
    if name == "project" and (
        "<tasks" in body or "webLink" in attributes or "version" in attributes
    ):
        return "gan"
    raise ImportFailed(
        f"{path.name}: XML with root <{name}>: neither MS Project XML (MSPDI) nor GanttProject",
        code="import.unknown_format",
    )


def _json_format(path: Path) -> str:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path.name}: not valid JSON ({exc})", code="import.bad_json") from None
    except RecursionError:
        raise ImportFailed(f"{path.name}: JSON nested too deeply", code="import.bad_json") from None
    if isinstance(data, dict):
        if data.get("format") == "techpm-json":
            return "techpm-json"
        if isinstance(data.get("issues"), list):
            return "jira-json"
        if isinstance(data.get("cards"), list) and isinstance(data.get("lists"), list):
            return "trello"
    raise ImportFailed(
        f"{path.name}: JSON that is neither a Jira search result, a Trello board nor a techpm "
        "export",
        code="import.unknown_format",
    )


def _csv_rows(text: str) -> list[list[str]]:
    """The first rows after the header (of the part of the file read to tell its format)."""
    lines = text.lstrip("\ufeff").splitlines()
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
        rows = list(csv.reader(io.StringIO("\n".join(lines[:400])), dialect))
    except (csv.Error, IndexError):
        return []
    return rows[1:-1] if len(rows) > 2 else rows[1:]  # the last may be cut short


def _csv_header(text: str) -> list[str] | None:
    first = text.lstrip("\ufeff").splitlines()[:1]
    if not first or ("," not in first[0] and ";" not in first[0] and "\t" not in first[0]):
        return None
    try:
        dialect = csv.Sniffer().sniff(first[0], delimiters=",;\t")
    except csv.Error:
        return None
    return next(csv.reader(io.StringIO(first[0]), dialect), None)
