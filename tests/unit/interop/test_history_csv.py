"""Finished dates from CSV files: plain lists and Jira exports, and located errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from techpm.domain.errors import InvalidPlanError
from techpm.flow.throughput import HistoryError
from techpm.interop.history_csv import parse_day, read_history


def write(tmp_path: Path, text: str, name: str = "history.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def days(path: Path, **kwargs: date) -> list[date]:
    return [item.on for item in read_history(path, **kwargs).items]


def test_a_list_with_a_header(tmp_path: Path) -> None:
    path = write(tmp_path, "key,finished\nA-1,2027-01-04\nA-2,2027-01-06T16:20\n\nA-3,\n")
    found = read_history(path)
    assert [item.on for item in found.items] == [date(2027, 1, 4), date(2027, 1, 6)]
    assert (found.kind, found.column, found.open_items) == ("dates", "finished", 1)
    first = found.items[0].location
    assert (first.file, first.line, first.column, first.field) == (str(path), 2, 2, "finished")


@pytest.mark.parametrize("header", ["Done", "date", "Completed", "finished_on"])
def test_header_names(tmp_path: Path, header: str) -> None:
    assert days(write(tmp_path, f"{header}\n2027-01-04\n")) == [date(2027, 1, 4)]


def test_no_header_and_semicolons(tmp_path: Path) -> None:
    assert days(write(tmp_path, "2027-01-04\n2027-01-05\n")) == [date(2027, 1, 4), date(2027, 1, 5)]
    path = write(tmp_path, "id;done\n1;2027-01-07\n", "semi.csv")
    assert days(path) == [date(2027, 1, 7)]


def test_utf16_from_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes("finished\tkey\r\n2027-01-04\tA\r\n".encode("utf-16"))
    assert days(path) == [date(2027, 1, 4)]


def test_zones_are_converted_to_utc() -> None:
    assert parse_day("2027-01-08T21:30:00-05:00") == date(2027, 1, 9)
    assert parse_day("2027-01-08T23:30:00Z") == date(2027, 1, 8)
    assert parse_day("08/Jan/27 11:30 PM") == date(2027, 1, 8)  # Jira's form, wall time
    assert parse_day("16/02/2027 15:26") == date(2027, 2, 16)  # day first
    assert parse_day("soon") is None


JIRA = """\
Summary,Issue key,Issue id,Status,Created,Resolved,Description
Cart API,PAY-1,10001,Done,01/Jan/27 9:00 AM,05/Jan/27 4:12 PM,"two
lines"
Cart page,PAY-2,10002,In Progress,02/Jan/27 9:00 AM,,
Checkout,PAY-3,10003,Done,02/Jan/27 9:00 AM,2027-01-07 10:00,
"""


def test_a_jira_export(tmp_path: Path) -> None:
    found = read_history(write(tmp_path, JIRA, "jira.csv"))
    assert (found.kind, found.column, found.open_items) == ("jira-csv", "Resolved", 1)
    assert [item.on for item in found.items] == [date(2027, 1, 5), date(2027, 1, 7)]
    # the first issue's description spans two lines: the third issue starts on line 5
    assert [(i.location.line, i.location.column) for i in found.items] == [(2, 6), (5, 6)]


def test_bad_dates_are_all_located(tmp_path: Path) -> None:
    path = write(tmp_path, "key,finished\nA,2027-01-04\nB,2027-13-01\nC,yesterday\n")
    with pytest.raises(InvalidPlanError) as error:
        read_history(path)
    problems = error.value.problems
    assert [p.code for p in problems] == ["history.bad_date", "history.bad_date"]
    assert [(p.location.line, p.location.column) for p in problems if p.location] == [
        (3, 2),
        (4, 2),
    ]
    assert str(problems[0]) == (
        f"{path}:3:2: error history.bad_date [finished]: row 3: '2027-13-01' is not a date; "
        "write 2027-01-05 or 2027-01-05T16:20"
    )


def test_dates_after_the_history_ends(tmp_path: Path) -> None:
    path = write(tmp_path, "2027-01-04\n2027-01-09\n")
    assert days(path, not_after=date(2027, 1, 9)) == [date(2027, 1, 4), date(2027, 1, 9)]
    with pytest.raises(InvalidPlanError) as error:
        read_history(path, not_after=date(2027, 1, 8))
    (problem,) = error.value.problems
    assert problem.code == "history.future_date"
    assert problem.location is not None
    assert (problem.location.line, problem.location.column, problem.location.field) == (
        2,
        1,
        "column 1",
    )
    assert "row 2: finished on 2027-01-09, after the history ends (2027-01-08" in str(problem)


def test_many_problems_are_capped(tmp_path: Path) -> None:
    path = write(tmp_path, "finished\n" + "x\n" * 80)
    with pytest.raises(InvalidPlanError) as error:
        read_history(path)
    assert len(error.value.problems) == 50
    assert "and 31 more problems" in error.value.problems[-1].message


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("key,owner\nA,ann\n", "history.no_date_column", "no column of finished dates"),
        ("", "history.no_finished", "the file is empty"),
        ("finished\n\n", "history.no_finished", "no finished items"),
        (
            JIRA.replace("05/Jan/27 4:12 PM", "").replace("2027-01-07 10:00", ""),
            "history.no_finished",
            "Resolved column (column 6)",
        ),
        ('finished\n"2027-01-04\n', "history.bad_csv", "not valid CSV"),
    ],
)
def test_unusable_files(tmp_path: Path, text: str, code: str, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(HistoryError) as error:
        read_history(path)
    assert error.value.code == code
    assert words in error.value.message
    assert str(path) in error.value.message


def test_a_short_row(tmp_path: Path) -> None:
    path = write(tmp_path, "key,owner,finished\nA,ann,2027-01-04\nB\n")
    with pytest.raises(InvalidPlanError) as error:
        read_history(path)
    (problem,) = error.value.problems
    assert problem.code == "history.bad_csv"
    assert problem.location is not None
    assert (problem.location.line, problem.location.column) == (3, 3)


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(HistoryError) as error:
        read_history(tmp_path / "nope.csv")
    assert error.value.code == "history.not_found"
    path = tmp_path / "latin.csv"
    path.write_bytes(b"finished\n2027-01-04\n\xe9t\xe9\n")
    with pytest.raises(HistoryError) as error:
        read_history(path)
    assert error.value.code == "history.bad_encoding"
    assert f"{path}:3:" in error.value.message
