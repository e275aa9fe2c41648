"""CSV that opens in a spreadsheet: a header row, one row per record, plain values.

Records are the JSON twin's rows; nested mappings become `parent_child` columns and lists
are joined with "; ", so that every command's CSV says what its JSON says.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from techpm.cli.output import write_text


def plain(value: Any) -> str:
    """A cell as a spreadsheet reads it: true/false, empty for none, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "; ".join(f"{k} {plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(plain(v) for v in value)
    return str(value)


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """`{"response": {"strategy": "avoid"}}` -> `{"response_strategy": "avoid"}`."""
    out: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            out.update(flatten(value, f"{name}_"))
        else:
            out[name] = plain(value)
    return out


def csv_text(records: Sequence[Mapping[str, Any]], columns: Sequence[str] = ()) -> str:
    """`columns` fixes the first columns (and the header of an empty list)."""
    rows = [flatten(r) for r in records]
    header = list(columns)
    for row in rows:
        header += [k for k in row if k not in header]
    # a mapping that is absent in some records (`response: null`) keeps only its parts' columns
    header = [
        k
        for k in header
        if not (any(h.startswith(f"{k}_") for h in header) and all(not r.get(k) for r in rows))
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([row.get(k, "") for k in header] for row in rows)
    return buffer.getvalue()


def emit_records(
    records: Sequence[Mapping[str, Any]],
    output: Path | None = None,
    columns: Sequence[str] = (),
) -> None:
    write_text(csv_text(records, columns), output)
