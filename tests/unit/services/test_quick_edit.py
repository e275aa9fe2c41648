"""An edit of a few tasks built on its own gives exactly the plan a full load of the edited
document gives, on every example plan: the quick path may only ever be quicker."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm.domain.errors import InvalidPlanError
from techpm.domain.project import Project
from techpm.interop.planfile.document import DataDocument
from techpm.interop.planfile.loader import load_plan_document, load_plan_file
from techpm.services.collections.edit import PlanEdit

EXAMPLES = sorted((Path(__file__).resolve().parents[3] / "examples").glob("*.yaml"))


def _full(edit: PlanEdit) -> Project | None:
    try:
        return load_plan_document(DataDocument("x.yaml", edit.document())).project
    except InvalidPlanError:
        return None


def _edits(task: dict[str, Any], earlier: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"name": task["name"] + " (renamed)"}, {"notes": "moved"}]
    if task.get("duration"):
        out.append({"duration": "7d"})
        out.append({"percent_complete": 40, "actual_start": "2027-01-05"})
    if earlier:
        out.append({"after": [*task.get("after", []), earlier[0]]})
    out.append({"after": []})
    out.append({"priority": 900, "tags": ["x", "y"]})
    return out


def _apply(edit: PlanEdit, key: str, change: dict[str, Any]) -> None:
    entry = next(t for t in edit.tasks if t["id"] == key)
    entry.update(change)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_quick_path_equals_the_full_load_on_every_example(path: Path) -> None:
    project = load_plan_file(path).project
    leaves = [t.id for t in project.tasks if not project.children.get(t.id)]
    quick_ones = 0
    for n, key in enumerate(leaves[:12]):
        for change in _edits(
            next(t for t in PlanEdit(project).tasks if t["id"] == key), leaves[:n]
        ):
            edit = PlanEdit(project)
            _apply(edit, key, change)
            quick = edit._quick("x.yaml")
            full = _full(edit)
            if quick is None:
                continue  # the full load decides (a problem, a loop ...)
            quick_ones += 1
            assert full is not None, (path.stem, key, change)
            assert quick == replace(full, source=quick.source), (path.stem, key, change)
    assert quick_ones > 0


@settings(max_examples=40, deadline=None)
@given(
    position=st.integers(min_value=0, max_value=10_000),
    days=st.integers(min_value=1, max_value=60),
    percent=st.integers(min_value=0, max_value=100),
)
def test_any_duration_and_progress_edit_matches_the_full_load(
    position: int, days: int, percent: int
) -> None:
    project = load_plan_file(EXAMPLES[0]).project
    leaves = [t.id for t in project.tasks if not project.children.get(t.id)]
    key = leaves[position % len(leaves)]
    edit = PlanEdit(project)
    _apply(edit, key, {"duration": f"{days}d", "percent_complete": percent})
    quick = edit._quick("x.yaml")
    full = _full(edit)
    if full is None:  # the edit makes the plan invalid: only the full load may say so
        assert quick is None
    elif quick is not None:
        assert quick == replace(full, source=quick.source)
