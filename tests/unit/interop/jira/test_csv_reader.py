"""Jira CSV exports: the real samples, a full export with every mapped column, bad files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from techpm.interop.exchange import ImportFailed
from techpm.interop.jira.csv_reader import parse_date, read_jira_csv

from .support import SAMPLES, by_id, counts, needs_samples, parents, validate

# tasks, summary tasks, milestones, resources, dependencies, assignments
SAMPLE_COUNTS = {
    "aditech-JIRA.csv": (324, 0, 0, 0, 0, 0),
    "duplicatebugs-JIRA.csv": (1, 0, 0, 1, 0, 1),
    "reportbuilder-JIRA.csv": (64, 0, 0, 0, 0, 0),
    "testJiraIssueExport.csv": (4, 0, 0, 0, 0, 0),
    "timereport-JIRA.csv": (39, 0, 0, 4, 0, 39),
}

HEADER = (
    "Summary,Issue key,Issue id,Parent id,Issue Type,Status,Project key,Project name,Priority,"
    "Assignee,Created,Updated,Resolved,Due Date,Labels,Labels,Description,Original Estimate,"
    "Component/s,Fix Version/s,Sprint,Sprint,Outward issue link (Blocks),"
    "Inward issue link (Blocks),Outward issue link (Relates),Custom field (Epic Link),"
    "Custom field (Story Points),Comment"
)
ROWS = [
    "Checkout rewrite,PAY-1,101,,Epic,In Progress,PAY,Payments,High,alice,04/Jan/27 9:12 AM,"
    "20/Jan/27 10:02 AM,,,checkout,,,,,,,,,,,,13,",
    "Card form,PAY-2,102,,Story,Done,PAY,Payments,Medium,bob,04/Jan/27 9:20 AM,19/Jan/27 4:45 PM,"
    '19/Jan/27 4:45 PM,,checkout,frontend,"The form collects:\n* number\n* expiry, CVC",57600,Web,'
    '1.0,PAY Sprint 1,PAY Sprint 2,PAY-6,,PAY-5,PAY-1,5,"19/Jan/27 4:45 PM;bob;looks good"',
    "Card validation,PAY-3,103,102,Sub-task,Done,PAY,Payments,Medium,bob,06/Jan/27 2:00 PM,"
    "13/Jan/27 9:30 AM,13/Jan/27 9:30 AM,,,,,14400,,,PAY Sprint 1,,,,,,,",
    "Payment API,PAY-4,104,,Task,In Progress,PAY,Payments,Medium,alice,04/Jan/27 9:30 AM,"
    "18/Jan/27 12:00 PM,,25/Feb/27 12:00 AM,,,,86400,API,1.0,PAY Sprint 2,,PAY-2,,,,8,",
    "Rounding error on refunds,PAY-5,105,,Bug,To Do,PAY,Payments,Highest,,15/Jan/27 3:45 PM,"
    "15/Jan/27 3:45 PM,,15/Feb/27 12:00 AM,money,,,,,,,,PAY-99,,PAY-2,,,",
    "Receipts by e-mail,PAY-6,106,,Story,To Do,PAY,Payments,Low,,05/Jan/27 11:00 AM,"
    "05/Jan/27 11:00 AM,,,,,,1d 4h,,,,,,102,,PAY-1,3,",
    ",,,,,,,,,,,,,,,,,,,,,,,,,,,",
]


def write(tmp_path: Path, text: str, name: str = "export.csv", bom: bool = True) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write(tmp_path, "\r\n".join([HEADER, *ROWS]) + "\r\n")


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTS))
def test_every_sample_imports_into_a_valid_plan(name: str) -> None:
    result = read_jira_csv(SAMPLES / "jira-csv" / name)
    validate(result.document)
    assert result.format == "jira-csv"
    assert tuple(counts(result.document).values()) == SAMPLE_COUNTS[name]
    assert any("status history" in note for note in result.skipped)


@needs_samples
def test_cloud_export_without_keys_uses_rows_and_account_ids() -> None:
    result = read_jira_csv(SAMPLES / "jira-csv" / "timereport-JIRA.csv")
    tasks = by_id(result.document)
    assert tasks["issue-9"]["duration"] == "4h"  # 14400 s
    assert tasks["issue-28"]["duration"] == "4d"  # 115200 s, 8h days
    assert tasks["issue-1"]["duration"] == "1d"  # no estimate
    people = {r["name"]: r for r in result.document["resources"]}
    bob = people["Sarvesh Chaudhari"]
    assert bob["id"] == "712020_a77c3f97-2ae5-4f0d-bcf8-b1dccda79ccd"
    assert bob["refs"] == {"jira": "712020:a77c3f97-2ae5-4f0d-bcf8-b1dccda79ccd"}
    assert tasks["issue-28"]["assign"] == [{"resource": bob["id"]}]
    assert "39 issues without an issue key: ids issue-N made from the row" in result.skipped
    assert "17 issues without an estimate: 1d assumed" in result.skipped
    assert result.document["project"]["start"] == date(2026, 7, 6)  # 06/Jul/26 6:38 PM


@needs_samples
def test_sub_tasks_of_a_parent_outside_the_export_stay_at_the_top() -> None:
    result = read_jira_csv(SAMPLES / "jira-csv" / "reportbuilder-JIRA.csv")
    assert parents(result.document)["HOINC-2096"] is None
    assert by_id(result.document)["HOINC-2096"]["issue_type"] == "Sub-task"
    assert any("(44452): placed at the top level" in note for note in result.skipped)


@needs_samples
def test_server_export_with_padding_rows_and_repeated_columns() -> None:
    result = read_jira_csv(SAMPLES / "jira-csv" / "duplicatebugs-JIRA.csv")
    (task,) = result.document["tasks"]
    assert task["id"] == "A-3367"
    assert task["refs"] == {"jira": "A-3367"}
    assert task["sprint"] == "abc"
    assert task["priority"] == 700
    assert result.document["project"] == {"name": "A", "start": date(2017, 2, 16)}
    (carried,) = [n for n in result.skipped if n.startswith("columns not carried")]
    assert "Watchers" in carried
    assert "Custom field (Rank)" in carried
    assert "Sprint" not in carried


@needs_samples
def test_multi_line_descriptions_become_notes() -> None:
    result = read_jira_csv(SAMPLES / "jira-csv" / "testJiraIssueExport.csv")
    notes = by_id(result.document)["SMRGR-2643"]["notes"]
    assert notes.startswith("Dear test,\n\nMay sdgs.")
    assert result.document["project"]["name"] == "SommerGarden"


def test_full_export_maps_every_column(export: Path) -> None:
    result = read_jira_csv(export)
    validate(result.document)
    document = result.document
    tasks = by_id(document)
    assert parents(document) == {
        "PAY-1": None,
        "PAY-2": "PAY-1",  # Epic Link
        "PAY-3": "PAY-2",  # Parent id 102
        "PAY-6": "PAY-1",
        "PAY-4": None,
        "PAY-5": None,
        "version.1.0": None,
    }
    assert "duration" not in tasks["PAY-2"]  # a summary rolls up its sub-task
    assert tasks["PAY-3"]["duration"] == "4h"
    assert tasks["PAY-4"]["duration"] == "3d"
    assert tasks["PAY-6"]["duration"] == "12h"  # "1d 4h" as typed
    assert tasks["PAY-5"]["duration"] == "1d"
    assert tasks["PAY-2"]["after"] == ["PAY-4"]  # PAY-4 blocks PAY-2
    assert tasks["PAY-6"]["after"] == ["PAY-2"]  # PAY-2 blocks PAY-6, twice over
    assert tasks["PAY-2"]["points"] == 5
    assert tasks["PAY-2"]["sprint"] == "PAY Sprint 2"
    assert tasks["PAY-2"]["tags"] == ["checkout", "frontend", "component:Web"]
    assert tasks["PAY-2"]["notes"] == "The form collects:\n* number\n* expiry, CVC"
    assert tasks["PAY-2"]["owner"] == "bob"
    assert tasks["PAY-3"]["assign"] == [{"resource": "bob"}]
    assert tasks["PAY-4"]["deadline"] == date(2027, 2, 25)
    assert tasks["PAY-5"]["priority"] == 900
    assert tasks["PAY-6"]["priority"] == 300
    assert "priority" not in tasks["PAY-4"]  # Medium is the default 500
    assert tasks["PAY-1"]["issue_type"] == "Epic"
    assert tasks["PAY-1"]["status"] == "In Progress"
    release = tasks["version.1.0"]
    assert release == {
        "id": "version.1.0",
        "name": "1.0",
        "milestone": True,
        "refs": {"jira_version": "1.0"},
        "after": ["PAY-2", "PAY-4"],
    }
    assert document["resources"] == [  # in the order they first do work
        {"id": "bob", "name": "bob", "refs": {"jira": "bob"}},
        {"id": "alice", "name": "alice", "refs": {"jira": "alice"}},
    ]
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
    assert "1 blocks link to issues not in the file dropped" in skipped
    assert "1 issue link of other kinds" in skipped  # PAY-2 relates PAY-5, on both rows
    assert "1 estimate on issues with sub-issues dropped" in skipped
    assert "1 issue in several sprints" in skipped
    assert "columns not carried: Comment" in skipped


def test_semicolons_and_utf16_from_spreadsheets(tmp_path: Path) -> None:
    text = "Issue key;Summary;Original Estimate\r\nX-1;Größe prüfen;7200\r\n"
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("utf-16"))
    (task,) = read_jira_csv(path).document["tasks"]
    assert task == {"id": "X-1", "name": "Größe prüfen", "refs": {"jira": "X-1"}, "duration": "2h"}


def test_foreign_keys_become_valid_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "Issue key,Summary\nmy issue #1,A\nmy issue @1,B\n.x,C\n")
    result = read_jira_csv(path)
    validate(result.document)
    assert [t["id"] for t in result.document["tasks"]] == ["my_issue__1", "my_issue__1-2", "_.x"]
    assert result.document["tasks"][0]["refs"] == {"jira": "my issue #1"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25/Jun/20 12:44", datetime(2020, 6, 25, 12, 44)),
        ("06/Jul/26 6:38 PM", datetime(2026, 7, 6, 18, 38)),
        ("06/Jul/26 12:05 AM", datetime(2026, 7, 6, 0, 5)),
        ("16/02/2017 15:26", datetime(2017, 2, 16, 15, 26)),
        ("02/16/2017", date(2017, 2, 16)),
        ("25/Jun/20", date(2020, 6, 25)),
        ("2020-12-03T14:05:20.974+0100", datetime(2020, 12, 3, 14, 5, 20, 974000)),
        ("2027-01-04", date(2027, 1, 4)),
        ("25/Jux/20", None),
        ("31/Feb/20", None),
        ("13:00 PM", None),
    ],
)
def test_dates_in_the_forms_jira_writes(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_unreadable_dates_are_left_out_and_counted(tmp_path: Path) -> None:
    path = write(tmp_path, "Issue key,Summary,Due Date\nX-1,A,25/Mxq/20\n")
    result = read_jira_csv(path)
    assert "deadline" not in result.document["tasks"][0]
    assert "1 date in a form techpm does not read left out" in result.skipped


def test_not_utf8_names_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("Issue key,Summary\nX-1,ok\nX-2,Gr\xf6\xdfe\n".encode("latin-1"))
    with pytest.raises(ImportFailed) as caught:
        read_jira_csv(path)
    assert caught.value.code == "import.bad_encoding"
    assert str(caught.value).startswith("latin1.csv: line 3: not UTF-8 text (byte 0xf6)")


def test_truncated_inside_a_quoted_field(export: Path) -> None:
    text = export.read_bytes()
    export.write_bytes(text[: text.index(b"* number") + 3])
    with pytest.raises(ImportFailed) as caught:
        read_jira_csv(export)
    assert caught.value.code == "import.bad_csv"
    assert "export.csv: line 3: not valid CSV: unexpected end of data" in str(caught.value)


def test_row_cut_short(tmp_path: Path) -> None:
    path = write(tmp_path, "Issue key,Summary,Status\nX-1,A,Open\nX-2,B\n")
    with pytest.raises(ImportFailed, match=r"line 3: 2 cells where the header has 3"):
        read_jira_csv(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("Name,Owner\nA,B\n", "line 1: no Summary or Issue key column: not a Jira CSV export"),
        ("Issue key,Summary\n,\n", "no issues in the file"),
        (
            "Issue key,Summary\nX-1,A\nx-1,B\n",
            "line 3: issue key x-1 appears twice (first at line 2)",
        ),
        ("Issue key,Summary,Original Estimate\nX-1,A,soon\n", "line 2, column 3: 'soon' is not"),
        ("Issue key,Summary,Story Points\nX-1,A,XL\n", "'XL' is not a number of story points"),
        ("Issue key,Summary,Story Points\nX-1,A,-2\n", "story points are a number from 0 to"),
        ("Issue key,Summary,Story Points\nX-1,A,inf\n", "line 2, column 3: 'inf': story points"),
        (
            "Issue key,Summary,Original Estimate\nX-1,A,1e400\n",
            "line 2, column 3: '1e400' is not an estimate: seconds from 0 to",
        ),
        ("Issue key,Summary,Original Estimate\nX-1,A,-3600\n", "'-3600' is not an estimate"),
        ("Issue key,Summary,Original Estimate\nX-1,A,9999999w\n", "'9999999w' is not an"),
    ],
)
def test_bad_files_say_what_and_where(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ImportFailed, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_jira_csv(write(tmp_path, text))


def test_blocks_links_that_loop_are_refused(tmp_path: Path) -> None:
    text = (
        "Issue key,Summary,Outward issue link (Blocks)\nX-1,A,X-2\nX-2,B,X-3\nX-3,C,X-1\nX-4,D,\n"
    )
    with pytest.raises(ImportFailed) as caught:
        read_jira_csv(write(tmp_path, text))
    assert caught.value.code == "import.cycle"
    assert "blocks links form a loop: X-1 -> X-2 -> X-3 -> X-1" in str(caught.value)


def test_a_loop_through_an_epic_is_refused(tmp_path: Path) -> None:
    """X-3 waits for epic X-1, whose story X-2 waits for X-3."""
    text = (
        "Issue key,Summary,Custom field (Epic Link),Inward issue link (Blocks)\n"
        "X-1,Epic,,\nX-2,Story,X-1,X-3\nX-3,Task,,X-1\n"
    )
    with pytest.raises(ImportFailed, match=r"blocks links form a loop: .*X-3"):
        read_jira_csv(write(tmp_path, text))


def test_parents_that_loop_are_refused(tmp_path: Path) -> None:
    text = "Issue key,Issue id,Summary,Parent id\nX-1,1,A,2\nX-2,2,B,1\n"
    with pytest.raises(
        ImportFailed, match=r"line 2: parent and epic links loop: X-1 -> X-2 -> X-1"
    ):
        read_jira_csv(write(tmp_path, text))


def test_links_between_an_issue_and_its_parent_are_dropped(tmp_path: Path) -> None:
    text = (
        "Issue key,Issue id,Summary,Parent id,Outward issue link (Blocks)\n"
        "X-1,1,Story,,\nX-2,2,Sub-task,1,X-1\n"
    )
    result = read_jira_csv(write(tmp_path, text))
    validate(result.document)
    assert "after" not in by_id(result.document)["X-1"]
    assert any(
        n.startswith("1 blocks link between an issue and its own parent") for n in result.skipped
    )


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r"nope\.csv: cannot read"):
        read_jira_csv(tmp_path / "nope.csv")


def test_xml_is_never_parsed(tmp_path: Path) -> None:
    text = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<x>&e;</x>\n'
    with pytest.raises(ImportFailed, match="no Summary or Issue key column"):
        read_jira_csv(write(tmp_path, text, bom=False))
