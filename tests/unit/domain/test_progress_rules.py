"""Progress that contradicts itself is named, task by task, in the schedule's warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

import techpm
from techpm.domain.errors import Diagnostic

HEAD = "project: {name: Progress, start: 2027-01-04, status_date: 2027-01-13}\ntasks:\n"


def _warnings(tmp_path: Path, tasks: str) -> list[Diagnostic]:
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + tasks, encoding="utf-8")
    return [d for d in techpm.schedule(path).diagnostics if d.code.startswith("progress.")]


@pytest.mark.parametrize(
    ("task", "code", "words"),
    [
        (
            "{id: api, name: API, duration: 5d, percent_complete: 40}",
            "progress.percent_without_start",
            ["'api'", "40 %", "actual_start"],
        ),
        (
            "{id: api, name: API, duration: 5d, actual_start: 2027-01-20, percent_complete: 10}",
            "progress.start_after_status",
            ["'api'", "2027-01-20", "status date 2027-01-13"],
        ),
        (
            "{id: api, name: API, duration: 5d, actual_start: 2027-01-04, "
            "actual_finish: 2027-01-15, percent_complete: 100}",
            "progress.finish_after_status",
            ["'api'", "2027-01-15", "status date 2027-01-13"],
        ),
        (
            "{id: api, name: API, duration: 5d, actual_start: 2027-01-04, "
            "actual_finish: 2027-01-08, percent_complete: 60}",
            "progress.finish_not_complete",
            ["'api'", "60 %", "finished"],
        ),
        (
            "{id: api, name: API, duration: 5d, actual_start: 2027-01-04, "
            "actual_finish: 2027-01-08, percent_complete: 100, remaining_duration: 2d}",
            "progress.remaining_when_finished",
            ["'api'", "remaining_duration"],
        ),
    ],
)
def test_contradicting_progress_is_named(
    tmp_path: Path, task: str, code: str, words: list[str]
) -> None:
    found = _warnings(tmp_path, f"  - {task}\n")
    assert [d.code for d in found] == [code]
    assert found[0].subjects == ("api",)
    for word in words:
        assert word in found[0].message


def test_consistent_progress_has_no_warning(tmp_path: Path) -> None:
    tasks = (
        "  - {id: a, name: A, duration: 5d, actual_start: 2027-01-04, actual_finish: 2027-01-08,"
        " percent_complete: 100}\n"
        "  - {id: b, name: B, duration: 5d, after: [a], actual_start: 2027-01-11,"
        " percent_complete: 40}\n"
        "  - {id: c, name: C, duration: 2d, after: [a], actual_start: 2027-01-11,"
        " actual_finish: 2027-01-12}\n"  # no percent written: a finish means done
        "  - {id: d, name: D, duration: 2d, after: [b]}\n"
    )
    assert _warnings(tmp_path, tasks) == []


def test_progress_on_a_summary_is_named(tmp_path: Path) -> None:
    tasks = (
        "  - id: epic\n"
        "    name: Epic\n"
        "    actual_start: 2027-01-04\n"
        "    percent_complete: 50\n"
        "    children:\n"
        "      - {id: a, name: A, duration: 5d}\n"
        "      - {id: b, name: B, duration: 5d, after: [a]}\n"
    )
    found = _warnings(tmp_path, tasks)
    assert [(d.code, d.subjects) for d in found] == [("progress.on_summary", ("epic",))]
    assert "record it on its tasks (a, b)" in found[0].message
