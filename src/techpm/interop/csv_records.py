"""CSV records with the line each starts on, for errors that point at the file's line;
the delimiter is the one the header uses most."""

from __future__ import annotations

import csv
import io


class CsvSyntaxError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def csv_records(text: str) -> list[tuple[int, list[str]]]:
    """(first line, cells) of each record; quoted cells (Jira descriptions) may span lines."""
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise CsvSyntaxError(line, str(exc)) from None
    return rows
