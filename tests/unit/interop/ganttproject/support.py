"""What the GanttProject tests share: the samples, their expected counts, and the check
`techpm import` makes on every document."""

from __future__ import annotations

import csv
from typing import Any

from techpm.domain.project import Project

from ..documents import REPO, SAMPLES, by_id, counts, load, needs_samples, plan_text, walk

__all__ = [
    "COLUMNS",
    "GAN_SAMPLES",
    "REPO",
    "SAMPLES",
    "by_id",
    "counts",
    "expected_counts",
    "load",
    "needs_samples",
    "plan_text",
    "validate",
    "walk",
]

GAN_SAMPLES = sorted((SAMPLES / "gan").glob("*.gan")) if SAMPLES.is_dir() else []
COLUMNS = ("tasks", "summary_tasks", "milestones", "resources", "dependencies", "assignments")


def expected_counts(folder: str) -> dict[str, dict[str, int]]:
    """COUNTS.tsv rows for one folder of samples; empty cells are not checked."""
    if not SAMPLES.is_dir():
        return {}
    with (SAMPLES / "COUNTS.tsv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    return {
        row["file"].split("/", 1)[1]: {c: int(row[c]) for c in COLUMNS if row[c].strip()}
        for row in rows
        if row["file"].startswith(f"{folder}/")
    }


def validate(document: dict[str, Any]) -> Project:
    """What `techpm import` does with a document; raises InvalidPlanError."""
    return load(document).project
