"""The task CSV import's entry: decode the file, find its delimiter and header, read rows."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from techpm.interop.csv_tasks.columns import ALIASES, COLUMNS
from techpm.interop.csv_tasks.rows import RowReader
from techpm.interop.exchange import ImportResult, fail


def read_csv(path: Path, *, today: date | None = None) -> ImportResult:
    """`today` starts the project when the file holds no date at all."""
    text = _decode(path)
    parser = csv.reader(io.StringIO(text), delimiter=_delimiter(text), strict=True)
    rows: list[list[str]] = []
    try:
        rows.extend(parser)
    except csv.Error as exc:
        where = f"row {len(rows) + 1} (line {parser.line_num})"
        raise fail(path, where, f"not readable as CSV: {exc}", "import.bad_csv") from None
    if not rows:
        message = "empty file: expected a header with id and name columns"
        raise fail(path, "row 1", message, "import.bad_csv")
    reader = RowReader(path, _header(path, rows[0]))
    records = [
        (number, reader.record(number, cells))
        for number, cells in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    if not records:
        raise fail(path, "row 2", "no tasks below the header", "import.bad_csv")
    return reader.result(records, today or date.today())


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(path, "", f"cannot read: {exc.strerror}", "import.unreadable") from None
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = raw.decode("utf-16")  # spreadsheets' "Unicode text"
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02X}); save the file as CSV UTF-8"
        raise fail(path, f"line {line}", message, "import.bad_encoding") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        message = "NUL bytes: UTF-16 without a byte order mark? save the file as CSV UTF-8"
        raise fail(path, f"line {line}", message, "import.bad_encoding")
    return text


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    if "\t" in first:
        return "\t"
    return ";" if first.count(";") > first.count(",") else ","


def _header(path: Path, cells: Sequence[str]) -> list[str]:
    names: list[str] = []
    for cell in cells:
        name = cell.strip().lower()
        name = ALIASES.get(name, name.replace(" ", "_"))
        if name in names and name in COLUMNS:
            raise fail(path, f"row 1, column {name}", "appears twice", "import.bad_csv")
        names.append(name)
    if "id" not in names or "name" not in names:
        found = ", ".join(c.strip() for c in cells) or "nothing"
        message = f"the header needs id and name columns; found: {found}"
        raise fail(path, "row 1", message, "import.bad_csv")
    return names
