"""A file given as a plan that is something else: say what it looks like and what to run.

People pass the MS Project file, the Excel sheet, a PDF of the plan or the JSON that
`techpm schedule --format json` wrote; each gets one line naming it and the command that
reads it, instead of a YAML error about its first bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

NAMES = {
    "mspdi": "an MS Project XML file",
    "mpp": "an MS Project .mpp file",
    "gan": "a GanttProject file",
    "jira-csv": "a Jira CSV export",
    "jira-json": "a Jira JSON export",
    "trello": "a Trello board export",
    "tjp": "a TaskJuggler file",
    "csv": "a CSV task list",
    "techpm-json": "a techpm JSON export",
}
_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "mpp"),
    (b"PK\x03\x04", "zip"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"\x1f\x8b", "gzip"),
)


def binary_advice(path: Path, head: bytes) -> str | None:
    """What a binary file given as a plan is, and what to do; None for text."""
    kind = next((k for magic, k in _MAGIC if head.startswith(magic)), None)
    if kind is None and b"\0" not in head[:8192]:
        return None
    if kind == "mpp":
        return (
            f"{path} is an MS Project .mpp file (or another Office 97 file), not a plan: "
            f"run `techpm import {path}` to make a plan from it"
        )
    if kind == "zip":
        what = "an Excel workbook" if b"xl/" in head else "a ZIP archive (Excel, Word or .zip)"
        return (
            f"{path} is {what}, not a plan: save the sheet as CSV (id, name, duration ...) "
            "and run `techpm import FILE.csv`, or give the plan's YAML file"
        )
    names = {"pdf": "a PDF document", "image": "an image", "gzip": "a gzip archive"}
    what = names.get(kind or "", "a binary file")
    return f"{path} is {what}, not a plan: give the plan's YAML file (techpm init writes one)"


def looks_like_schedule(data: Any) -> bool:
    """The JSON of `techpm schedule --format json`: computed dates, not a plan."""
    project = data.get("project") if isinstance(data, dict) else None
    return isinstance(project, dict) and "critical_paths" in project and "finish" in project


def schedule_advice(path: Path) -> str:
    return (
        f"{path} is the output of `techpm schedule --format json`, not a plan: give the "
        "plan file it was made from (to check this schedule against it: "
        f"techpm verify PLAN --schedule {path})"
    )


def other_format_advice(path: Path) -> str | None:
    """A text file another tool wrote (MS Project XML, Jira CSV ...): how to import it."""
    from techpm.interop.detect import detect_format  # only when a plan is not one
    from techpm.interop.exchange import ImportFailed

    try:
        kind = detect_format(path)
    except ImportFailed:
        return None
    if kind not in NAMES:
        return None
    return f"{path} looks like {NAMES[kind]}, not a plan: run `techpm import {path}`"
