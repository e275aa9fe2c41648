"""What the Trello tests share: the samples and the check `techpm import` makes on every
document."""

from __future__ import annotations

from typing import Any

from techpm.domain.project import Project

from ..documents import REPO, SAMPLES, by_id, load, needs_samples, plan_text, walk

__all__ = ["REPO", "SAMPLES", "by_id", "load", "needs_samples", "plan_text", "validate", "walk"]


def validate(document: dict[str, Any]) -> Project:
    """What `techpm import` does with a document; raises InvalidPlanError."""
    return load(document).project
