"""Jira REST search results: the real samples, recorded v3 and v2 pages, bad files."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from techpm.interop.exchange import ImportFailed
from techpm.interop.jira.json_reader import adf_text, from_issues, read_jira_json

from .support import RESPONSES, SAMPLES, by_id, counts, needs_samples, parents, validate

SAMPLE_COUNTS = {
    "jiracli-search.json": (3, 0, 0, 1, 0, 1),
    "jiraruby-board-1-issues.json": (9, 0, 0, 0, 0, 0),
    "jiraruby-sprint-1-issues.json": (1, 0, 0, 0, 0, 0),
}


def pages(prefix: str) -> tuple[list[Any], dict[str, str]]:
    issues: list[Any] = []
    names: dict[str, str] = {}
    for path in sorted(RESPONSES.glob(f"{prefix}-page*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        issues += data["issues"]
        names.update(data["names"])
    return issues, names


def write(tmp_path: Path, data: Any, name: str = "search.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTS))
def test_every_sample_imports_into_a_valid_plan(name: str) -> None:
    result = read_jira_json(SAMPLES / "jira-json" / name)
    validate(result.document)
    assert result.format == "jira-json"
    assert tuple(counts(result.document).values()) == SAMPLE_COUNTS[name]


@needs_samples
def test_agile_sprint_envelope() -> None:
    result = read_jira_json(SAMPLES / "jira-json" / "jiraruby-sprint-1-issues.json")
    (task,) = result.document["tasks"]
    assert task["sprint"] == "sprint 2"  # the current sprint, after closed "sprint 1"
    assert task["duration"] == "10m"  # timetracking.originalEstimateSeconds 600
    assert task["notes"] == "example bug report"
    assert result.document["project"]["name"] == "Example"
    assert (
        "1 issue naming a parent or epic that is not in the file (37): placed at the top level"
        in (result.skipped)
    )


@needs_samples
def test_board_envelope_of_bare_issues() -> None:
    result = read_jira_json(SAMPLES / "jira-json" / "jiraruby-board-1-issues.json")
    names = [t["name"] for t in result.document["tasks"]]
    assert names[:3] == ["SBT-1", "SBT-2", "SBT-11"]  # no fields: keys name the tasks


def test_cloud_pages_with_names_and_changelog() -> None:
    issues, names = pages("search-v3")
    result = from_issues(issues, "search.json", names=names)
    validate(result.document)
    document = result.document
    tasks = by_id(document)
    assert parents(document) == {
        "PAY-1": None,
        "PAY-2": "PAY-1",
        "PAY-3": "PAY-2",
        "PAY-6": "PAY-1",
        "PAY-4": None,
        "PAY-5": None,
        "version.1.0": None,
    }
    assert tasks["PAY-2"]["after"] == ["PAY-4"]
    assert tasks["PAY-6"]["after"] == ["PAY-2"]
    assert tasks["PAY-3"]["duration"] == "4h"
    assert tasks["PAY-4"]["duration"] == "3d"
    assert tasks["PAY-2"]["points"] == 5  # "Story point estimate", by the names map
    assert tasks["PAY-2"]["sprint"] == "PAY Sprint 2"
    assert tasks["PAY-2"]["tags"] == ["checkout", "frontend", "component:Web"]
    assert tasks["PAY-2"]["notes"] == (
        "The card form collects:\nnumber\nexpiry and CVC\nValidation runs as you type."
    )
    assert tasks["PAY-5"]["deadline"] == date(2027, 2, 15)
    assert tasks["PAY-5"]["priority"] == 700
    assert tasks["version.1.0"]["after"] == ["PAY-2", "PAY-4"]
    assert tasks["version.1.0"]["deadline"] == date(2027, 3, 1)
    assert tasks["PAY-2"]["history"] == [
        {"at": datetime(2027, 1, 4, 8, 20, 1, tzinfo=UTC), "to": "To Do"},
        {"at": datetime(2027, 1, 11, 9, 15, tzinfo=UTC), "to": "In Progress", "from": "To Do"},
        {"at": datetime(2027, 1, 14, 16, 30, tzinfo=UTC), "to": "In Review", "from": "In Progress"},
        {"at": datetime(2027, 1, 19, 15, 45, 30, tzinfo=UTC), "to": "Done", "from": "In Review"},
    ]
    assert document["resources"][0] == {
        "id": "712020_4f7c9e2a-1b3d-4c5e-9f60-7a8b9c0d1e2f",
        "name": "Bob Okafor",
        "refs": {"jira": "712020:4f7c9e2a-1b3d-4c5e-9f60-7a8b9c0d1e2f"},
    }
    assert document["project"] == {"name": "Payments", "start": date(2027, 1, 20)}
    assert counts(document) == {
        "tasks": 7,
        "summary_tasks": 2,
        "milestones": 1,
        "resources": 2,
        "dependencies": 4,
        "assignments": 2,
    }
    skipped = "\n".join(result.skipped)
    assert "1 issue link of other kinds" in skipped  # PAY-4 relates to PAY-5, seen twice
    assert "1 blocks link to issues not in the file dropped" in skipped
    assert "fields not carried: " in skipped
    assert "Reporter" in skipped


def test_server_pages_read_the_same() -> None:
    """API version 2: usernames, sprints as text, Epic Link and "Story Points" fields."""
    issues, names = pages("search-v2")
    result = from_issues(issues, "server.json", names=names)
    validate(result.document)
    tasks = by_id(result.document)
    assert parents(result.document)["PAY-2"] == "PAY-1"  # Epic Link
    assert parents(result.document)["PAY-3"] == "PAY-2"
    assert tasks["PAY-2"]["sprint"] == "PAY Sprint 2"
    assert tasks["PAY-2"]["points"] == 5
    assert tasks["PAY-2"]["notes"].startswith("The card form collects:")
    assert tasks["PAY-3"]["assign"] == [{"resource": "bob"}]
    assert tasks["PAY-3"]["issue_type"] == "Sub-task"


def test_a_saved_page_is_a_file_techpm_reads() -> None:
    result = read_jira_json(RESPONSES / "search-jql-page1.json")
    validate(result.document)
    assert [t["id"] for t in result.document["tasks"]][:2] == ["PAY-1", "PAY-4"]


def test_a_bare_list_of_issues(tmp_path: Path) -> None:
    path = write(tmp_path, [{"key": "A-1", "fields": {"summary": "One"}}])
    assert read_jira_json(path).document["tasks"][0]["name"] == "One"


def test_sub_tasks_listed_only_by_their_parent(tmp_path: Path) -> None:
    data = {
        "issues": [
            {"key": "A-1", "fields": {"summary": "Story", "subtasks": [{"key": "A-2"}]}},
            {"key": "A-2", "fields": {"summary": "Sub-task"}},
        ]
    }
    assert parents(read_jira_json(write(tmp_path, data)).document)["A-2"] == "A-1"


def test_adf_to_text() -> None:
    doc = {
        "type": "doc",
        "content": [
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "Hi "},
                    {"type": "mention", "attrs": {"text": "@Ann"}},
                    {"type": "hardBreak"},
                    {"type": "text", "text": "bye"},
                ],
            },
            {"type": "codeBlock", "content": [{"type": "text", "text": "x = 1"}]},
        ],
    }
    assert adf_text(doc) == "Hi @Ann\nbye\nx = 1"


def test_blocks_links_that_loop_are_refused(tmp_path: Path) -> None:
    def blocks(key: str, other: str) -> dict[str, Any]:
        link = {"type": {"name": "Blocks"}, "outwardIssue": {"key": other}}
        return {"key": key, "fields": {"issuelinks": [link]}}

    path = write(tmp_path, {"issues": [blocks("A-1", "A-2"), blocks("A-2", "A-1")]})
    with pytest.raises(ImportFailed) as caught:
        read_jira_json(path)
    assert caught.value.code == "import.cycle"
    assert (
        str(caught.value) == "search.json: $.issues[0]: blocks links form a loop: A-1 -> A-2 -> A-1"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"issues": [', "line 1, column 13: not valid JSON: Expecting value"),
        ('{"issues": [{"key": "A-1"}] ', "not valid JSON"),
        ("{\n  'issues': []\n}", "line 2, column 3: not valid JSON"),
        ('{"values": []}', r"\$: not a Jira search result"),
        ('{"issues": []}', "no issues in the file"),
        ('{"issues": [3]}', r"\$.issues\[0\]: an issue must be a JSON object"),
        ('{"issues": [{"id": "1"}]}', r"\$.issues\[0\].key: an issue needs its key"),
        (
            '{"issues": [{"key": "A-1", "fields": {"labels": "x"}}]}',
            r"\$.issues\[0\].fields.labels: expected a list, found str",
        ),
        (
            '{"issues": [{"key": "A-1", "fields": {"issuelinks": [{"type": 1}]}}]}',
            r"\$.issues\[0\].fields.issuelinks\[0\].type: expected an object, found int",
        ),
        (
            '{"issues": [{"key": "A-1", "fields": {"timeoriginalestimate": "soon"}}]}',
            r"timeoriginalestimate: 'soon' is not a number of seconds",
        ),
        (
            '{"issues": [{"key": "A-1"}, {"key": "a-1"}]}',
            r"\$.issues\[1\]: issue key a-1 appears twice \(first at \$.issues\[0\]\)",
        ),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_bad_files_say_what_and_where(tmp_path: Path, data: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(ImportFailed, match=message):
        read_jira_json(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(
        '{"issues": [{"key": "A-1", "fields": {"summary": "Gr\xf6\xdfe"}}]}'.encode("latin-1")
    )
    with pytest.raises(ImportFailed, match=r"latin1\.json: byte 52: not UTF-8") as caught:
        read_jira_json(path)
    assert caught.value.code == "import.bad_encoding"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss><channel><item><key>A-1</key><summary>&lol2;</summary></item></channel></rss>
"""


def test_xml_is_never_parsed(tmp_path: Path) -> None:
    """Jira's XML (RSS) export is not a format these readers take: it fails as JSON or CSV
    before any entity could expand."""
    path = tmp_path / "issues.json"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    with pytest.raises(ImportFailed, match="not valid JSON"):
        read_jira_json(path)
