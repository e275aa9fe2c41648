"""What the Jira tests share: where the samples are, and the check `techpm import` makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from techpm.interop.planfile.loader import LoadedPlan

from ..documents import REPO, SAMPLES, by_id, counts, load, needs_samples, plan_text, walk

__all__ = [
    "REPO",
    "RESPONSES",
    "SAMPLES",
    "by_id",
    "counts",
    "load",
    "needs_samples",
    "parents",
    "plan_text",
    "validate",
    "walk",
]

RESPONSES = Path(__file__).resolve().parent / "responses"


def parents(document: dict[str, Any]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}

    def visit(tasks: list[dict[str, Any]], parent: str | None) -> None:
        for task in tasks:
            found[task["id"]] = parent
            visit(task.get("children") or [], task["id"])

    visit(document["tasks"], None)
    return found


def validate(document: dict[str, Any]) -> LoadedPlan:
    """What `techpm import` does with a document; raises InvalidPlanError."""
    return load(document)
