"""The issue-to-task mapping both readers share."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from techpm.interop.exchange import ImportFailed
from techpm.interop.jira.issues import (
    Change,
    Issue,
    Person,
    duration_text,
    plan_from_issues,
    sanitize_id,
)

from .support import by_id, validate

PATH = Path("issues.json")


def plan(*issues: Issue, releases: dict[str, date] | None = None) -> dict[str, object]:
    result = plan_from_issues(issues, PATH, fmt="jira-json", releases=releases)
    validate(result.document)
    return result.document


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0d"),
        (28800, "1d"),
        (57600, "2d"),
        (3600, "1h"),
        (36000, "10h"),
        (600, "10m"),
        (61, "2m"),
    ],
)
def test_estimates_in_days_of_eight_hours(seconds: int, text: str) -> None:
    assert duration_text(seconds) == text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("PROJ-12", "PROJ-12"), ("712020:abc-def", "712020_abc-def"), ("-x", "_-x"), ("", "_")],
)
def test_ids_sanitized(raw: str, clean: str) -> None:
    assert sanitize_id(raw) == clean


def test_milestone_issue_types_and_owners_of_summaries() -> None:
    ann = Person("557058:ann", "Ann")
    document = plan(
        Issue("a", key="R-1", summary="Go live", issue_type="Milestone", assignee=ann),
        Issue("b", key="R-2", summary="Epic", issue_type="Epic", assignee=ann),
        Issue("c", key="R-3", summary="Story", epic="R-2", estimate_seconds=7200, assignee=ann),
    )
    tasks = by_id(document)
    assert tasks["R-1"]["milestone"] is True
    assert "duration" not in tasks["R-1"]
    assert tasks["R-1"]["owner"] == "Ann"
    assert tasks["R-2"]["owner"] == "Ann"
    assert tasks["R-3"]["assign"] == [{"resource": "557058_ann"}]


def test_fix_versions_become_milestones_with_their_release_dates() -> None:
    document = plan(
        Issue("a", key="R-1", versions=("2.0", "2.1")),
        Issue("b", key="R-2", versions=("2.0",)),
        Issue("c", key="R-3", versions=("version.2.0",)),
        releases={"2.0": date(2027, 5, 3)},
    )
    tasks = by_id(document)
    assert tasks["version.2.0"]["after"] == ["R-1", "R-2"]
    assert tasks["version.2.0"]["deadline"] == date(2027, 5, 3)
    assert tasks["version.2.1"]["after"] == ["R-1"]
    assert "deadline" not in tasks["version.2.1"]
    assert tasks["version.version.2.0"]["refs"] == {"jira_version": "version.2.0"}


def test_history_oldest_first_and_names_from_keys() -> None:
    later = datetime(2027, 1, 5, 9, tzinfo=UTC)
    earlier = datetime(2027, 1, 4, 9, tzinfo=UTC)
    document = plan(
        Issue(
            "a",
            key="R-1",
            history=(Change(later, "Done", "In Progress"), Change(earlier, "In Progress", "To Do")),
        )
    )
    task = by_id(document)["R-1"]
    assert task["name"] == "R-1"  # no summary: the key names it
    assert [h["to"] for h in task["history"]] == ["In Progress", "Done"]
    assert task["history"][1] == {"at": later, "to": "Done", "from": "In Progress"}


def test_several_projects_name_the_plan_together() -> None:
    document = plan(
        Issue("a", key="A-1", project="Alpha"),
        Issue("b", key="B-1", project="Beta"),
        Issue("c", key="B-2", project="Beta", dates=(date(2027, 3, 1), date(2027, 2, 1))),
    )
    assert document["project"] == {"name": "Beta + Alpha", "start": date(2027, 3, 1)}


def test_unknown_priorities_are_reported() -> None:
    result = plan_from_issues(
        [Issue("a", key="A-1", priority="P1"), Issue("b", key="A-2", priority="P2")],
        PATH,
        fmt="jira-json",
    )
    assert "priority" not in result.document["tasks"][0]
    assert "priorities without a techpm equivalent left at 500: P1, P2" in result.skipped


def test_an_issue_cannot_block_itself_or_be_its_own_parent() -> None:
    document = plan(Issue("a", key="A-1", blocks=("A-1",), parent="A-1"))
    assert "after" not in document["tasks"][0]  # type: ignore[index]


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ImportFailed, match="issue id 7 appears twice"):
        plan(Issue("line 2", key="A-1", issue_id="7"), Issue("line 3", key="A-2", issue_id="7"))
