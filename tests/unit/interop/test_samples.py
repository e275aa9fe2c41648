"""Every real export in the shared samples imports into a valid plan, and for MS Project and
GanttProject files the counts equal those of an independent reader (COUNTS.tsv: MPXJ, checked
against the raw XML; for GanttProject the raw XML, as MPXJ drops links between nested tasks)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from techpm.services.exchange import import_file

from .documents import SAMPLES, require_mpxj

COLUMNS = ("tasks", "summary_tasks", "milestones", "resources", "dependencies", "assignments")
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples not beside repo")


def _needs_mpxj(path: Path) -> None:
    if path.suffix == ".mpp":
        require_mpxj()


def expected_counts() -> list[tuple[str, dict[str, int]]]:
    if not SAMPLES.is_dir():
        return []
    with (SAMPLES / "COUNTS.tsv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    return [(row["file"], {c: int(row[c]) for c in COLUMNS if row[c].strip()}) for row in rows]


@pytest.mark.parametrize(("name", "expected"), expected_counts(), ids=lambda v: str(v))
def test_counts_equal_an_independent_reader(name: str, expected: dict[str, int]) -> None:
    path = SAMPLES / name
    _needs_mpxj(path)
    project = import_file(path).project
    counts = {
        "tasks": len(project.tasks),
        "summary_tasks": sum(1 for t in project.tasks if project.is_summary(t.id)),
        "milestones": sum(1 for t in project.tasks if t.milestone),
        "resources": len(project.resources),
        "dependencies": len(project.dependencies),
        "assignments": sum(len(t.assignments) for t in project.tasks),
    }
    assert {k: counts[k] for k in expected} == expected


@pytest.mark.parametrize(
    "path",
    sorted(p for p in SAMPLES.glob("*/*") if p.is_file()) if SAMPLES.is_dir() else [],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_every_sample_imports_into_a_valid_plan(path: Path) -> None:
    _needs_mpxj(path)
    imported = import_file(path)
    assert imported.project.tasks or imported.project.resources
    assert imported.schedule.finish >= imported.schedule.start
