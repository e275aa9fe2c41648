"""The task spreadsheet: export and import give the same tasks; bad cells name row and column."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from techpm.domain.project import Project
from techpm.interop.csv_tasks import COLUMNS, read_csv, write_csv
from techpm.interop.exchange import ImportFailed
from techpm.scheduling.result import Schedule
from techpm.services.planning import schedule_plan

from .plans import EXAMPLES, load_document


def exported_rows(schedule: Schedule, tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "tasks.csv"
    write_csv(schedule, path)
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def without_uncarried(project: Project) -> list[object]:
    """What a task list does not hold: skill needs, procured items, state history."""
    return [replace(task, needs=(), needs_items=(), history=()) for task in project.tasks]


def write(tmp_path: Path, text: str, name: str = "tasks.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_export_and_import_give_the_same_tasks(rich: Schedule, tmp_path: Path) -> None:
    path = tmp_path / "tasks.csv"
    write_csv(rich, path)
    result = read_csv(path)
    loaded = load_document(result.document)
    original = rich.problem.project
    assert loaded.tasks == tuple(without_uncarried(original))
    assert loaded.dependencies == original.dependencies
    assert [t.refs for t in loaded.tasks] == [t.refs for t in original.tasks]
    assert loaded.info.start == original.info.start
    assert {r.id: r.capacity for r in loaded.resources} == {"alice": 1, "qa": 2, "bob": 1}
    assert result.skipped == ("the working time of calendar late (read as Mon-Fri 09:00-17:00)",)
    assert result.format == "csv"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_survive_the_spreadsheet(example: Path, tmp_path: Path) -> None:
    schedule = schedule_plan(example)
    path = tmp_path / "tasks.csv"
    write_csv(schedule, path)
    loaded = load_document(read_csv(path).document)
    assert loaded.tasks == tuple(without_uncarried(schedule.problem.project))
    assert loaded.dependencies == schedule.problem.project.dependencies


def test_columns_and_computed_cells(rich: Schedule, tmp_path: Path) -> None:
    path = tmp_path / "tasks.csv"
    write_csv(rich, path)
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)
    rows = {row["id"]: row for row in exported_rows(rich, tmp_path)}
    for schedule_row in rich.rows:
        row = rows[schedule_row.id]
        assert row["wbs"] == schedule_row.wbs
        assert row["start"] == schedule_row.start.isoformat(sep=" ", timespec="minutes")
        assert row["finish"] == schedule_row.finish.isoformat(sep=" ", timespec="minutes")
        assert row["critical"] == ("true" if schedule_row.critical else "")
    build = rows["a.b/c"]
    assert build["after"] == "crit;ux SS+2d"
    assert build["assign"] == "alice:1;qa:2"
    assert build["parent"] == ""
    assert build["effort"] == "10d"
    assert rows["launch"]["after"] == "a.b/c FS+1d"
    assert rows["launch"]["constraint"] == "finish_no_later_than 2027-03-26"
    assert rows["api"]["parent"] == "design"
    assert rows["api"]["tags"] == "backend;api"
    assert rows["api"]["refs"] == "jira:PROJ-1"
    assert rows["ux"]["estimate"] == "3d/5d/8d triangular"
    assert rows["ux"]["actual_start"] == "2027-01-04T13:00:00"
    assert rows["crit"]["notes"] == "Line one\nline two, with a comma; and a semicolon"


def test_computed_dates_are_reference_only(rich: Schedule, tmp_path: Path) -> None:
    path = tmp_path / "tasks.csv"
    write_csv(rich, path)
    reference = read_csv(path).reference_dates
    launch = rich.row("launch")
    assert reference["launch"] == (launch.start.isoformat(), launch.finish.isoformat())


def test_byte_order_mark_semicolons_and_aliases(tmp_path: Path) -> None:
    text = (
        "ID;Name;Parent;Duration;Predecessors;% Complete;Resources;Labels\r\n"
        "p;Phase;;;;;;\r\n"
        "a;Ärger beheben;p;2,5d;;50%;Zoë:50%;x\r\n"
        "b;Done;p;1d;a SS+1d;;;\r\n"
    )
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    with pytest.raises(ImportFailed, match=r"row 3, column duration: '2,5d' is not a duration"):
        read_csv(path, today=date(2027, 1, 4))
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("2,5d", "2.5d").encode("utf-8"))
    result = read_csv(path, today=date(2027, 1, 4))
    phase = result.document["tasks"][0]
    assert phase["id"] == "p"
    first, second = phase["children"]
    assert first["name"] == "Ärger beheben"
    assert first["percent_complete"] == 50
    assert first["assign"] == [{"resource": "Zo", "units": 0.5}]
    assert result.document["resources"] == [{"id": "Zo", "name": "Zoë"}]
    assert first["tags"] == ["x"]
    assert second["after"] == [{"task": "a", "type": "SS", "lag": "1d"}]
    assert result.document["project"]["start"] == date(2027, 1, 4)
    load_document(result.document)


def test_unicode_text_from_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes("id\tname\tduration\r\nx\tÉtude\t3d\r\n".encode("utf-16"))
    result = read_csv(path, today=date(2027, 1, 4))
    assert result.document["tasks"] == [{"id": "x", "name": "Étude", "duration": "3d"}]


def test_outline_numbers_make_the_tree_without_a_parent_column(tmp_path: Path) -> None:
    path = write(tmp_path, "wbs,id,name,duration\n1,a,A,\n1.1,b,B,1d\n1.2,c,C,2d\n2,d,D,1d\n")
    tasks = read_csv(path, today=date(2027, 1, 4)).document["tasks"]
    assert [t["id"] for t in tasks] == ["a", "d"]
    assert [t["id"] for t in tasks[0]["children"]] == ["b", "c"]


def test_foreign_ids_are_made_valid_and_kept_in_refs(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,name,duration,after,start\n"
        "Task 1,First,1d,,2027-01-05\n"
        "Task-1,Second,1d,Task 1,\n"
        "#3,Third,1d,Task-1;Task 1 FF,\n",
    )
    result = read_csv(path)
    tasks = result.document["tasks"]
    assert [t["id"] for t in tasks] == ["Task-1-2", "Task-1", "3"]
    assert tasks[0]["refs"] == {"csv": "Task 1"}
    assert tasks[2]["after"] == ["Task-1", {"task": "Task-1-2", "type": "FF"}]
    assert result.document["project"]["start"] == date(2027, 1, 5)
    load_document(result.document)


def test_constraint_spellings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,name,duration,constraint\n"
        "a,A,1d,SNET 2027-01-05\n"
        "b,B,1d,start no later than 2027-02-01;must-finish-on 2027-02-03T17:00\n",
    )
    tasks = read_csv(path).document["tasks"]
    assert tasks[0]["constraint"] == {"type": "start_no_earlier_than", "date": date(2027, 1, 5)}
    assert [c["type"] for c in tasks[1]["constraint"]] == ["start_no_later_than", "must_finish_on"]
    load_document(read_csv(path).document)


def test_unknown_columns_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name,duration,colour\na,A,1d,red\nb,B,1d,\n")
    result = read_csv(path, today=date(2027, 1, 4))
    assert result.skipped == ("column 'colour' (1 values): not a techpm task field",)


def test_a_file_without_dates_starts_today(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name,duration\na,A,1d\n")
    result = read_csv(path, today=date(2031, 5, 6))
    assert result.document["project"] == {"name": "tasks", "start": date(2031, 5, 6)}


HEADER = (
    "id,name,parent,duration,milestone,after,constraint,actual_start,percent_complete,"
    "priority,assign,estimate,refs,accrue\n"
)
GOOD = "a,A,,1d,,,,,,,,,,\nb,B,,1d,,a,,,,,,,,\n"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("c,C,,5 days,,,,,,,,,,", "duration", "is not a duration"),
        ("c,C,,1d,maybe,,,,,,,,,", "milestone", "write true or false"),
        ("c,C,,1d,,ghost,,,,,,,,", "after", "no task 'ghost'"),
        ("c,C,,1d,,a XX,,,,,,,,", "after", "no task 'a XX'"),
        ("c,C,,1d,,a FS+x,,,,,,,,", "after", "is not a duration"),
        ("c,C,,1d,,a FS+soon,,,,,,,,", "after", "is not a duration"),
        ("c,C,,1d,,,sometime 2027-01-01,,,,,,,", "constraint", "write a type and a date"),
        ("c,C,,1d,,,SNET 2027-13-01,,,,,,,", "constraint", "is not a date"),
        ("c,C,,1d,,,,01/04/2027,,,,,,", "actual_start", "write YYYY-MM-DD"),
        ("c,C,,1d,,,,,140,,,,,", "percent_complete", "must be between 0 and 100"),
        ("c,C,,1d,,,,,,high,,,,", "priority", "is not a number"),
        ("c,C,,1d,,,,,,1.5,,,,", "priority", "is not a whole number"),
        ("c,C,,1d,,,,,,,alice:-1,,,", "assign", "must be at least 0"),
        ("c,C,,1d,,,,,,,:1,,,", "assign", "write resource:units"),
        ("c,C,,1d,,,,,,,,1d/2d,,", "estimate", "write optimistic/likely/pessimistic"),
        ("c,C,,1d,,,,,,,,,nocolon,", "refs", "write tool:id"),
        ("c,C,,1d,,,,,,,,,,monthly", "accrue", "write prorated, start or end"),
        ("c,,,1d,,,,,,,,,,", "name", "every task needs a name"),
        (",C,,1d,,,,,,,,,,", "id", "every task needs an id"),
        ("a,C,,1d,,,,,,,,,,", "id", "'a' is also the id on row 2"),
        ("c,C,ghost,1d,,,,,,,,,,", "parent", "no task 'ghost'"),
    ],
)
def test_a_bad_cell_names_its_row_and_column(
    tmp_path: Path, row: str, column: str, message: str
) -> None:
    path = write(tmp_path, HEADER + GOOD + "\n" + row + "\n")
    with pytest.raises(ImportFailed) as caught:
        read_csv(path)
    text = str(caught.value)
    assert text.startswith(f"tasks.csv: row 5, column {column}: "), text
    assert message in text


def test_dependency_cycles_name_the_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name,duration,after\na,A,1d,c\nb,B,1d,a\nc,C,1d,b FS+1d\n")
    with pytest.raises(
        ImportFailed, match=r"row 2, column after: .*a -> c -> b -> a \(rows 2, 4, 3\)"
    ):
        read_csv(path)


def test_parent_loops_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name,parent\na,A,b\nb,B,a\n")
    with pytest.raises(ImportFailed, match=r"column parent: parents form a loop: a -> b -> a"):
        read_csv(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"row 1: empty file"),
        (b"id,title\na,A\n", r"row 1: the header needs id and name columns; found: id, title"),
        (b"id,name\n", r"row 2: no tasks below the header"),
        (b"id,name,name\na,A,B\n", r"row 1, column name: appears twice"),
        (b"id,name\na,A,extra\n", r"row 2: 3 cells, the header has 2 columns"),
        (b"id,name\na,Caf\xe9\n", r"line 2: not UTF-8 text \(byte 0xE9\)"),
        ("id,name\na,A\n".encode("utf-16-le"), r"line 1: NUL bytes"),
        (b'id,name\na,"unfinished\n', r"row 2 \(line 2\): not readable as CSV: unexpected end"),
    ],
)
def test_unreadable_files_fail_with_the_place(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "tasks.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=rf"^tasks.csv: ({message})"):
        read_csv(path, today=date(2027, 1, 4))


def test_an_imported_plan_schedules(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,name,parent,duration,milestone,after,constraint\n"
        "d,Design,,,,,\n"
        "a,API,d,3d,,,SNET 2027-01-05\n"
        "b,Build,,1w,,a FS+1d,\n"
        "m,Done,,,yes,b,\n",
    )
    project = load_document(read_csv(path).document)
    schedule = schedule_plan(project)
    assert schedule.row("m").milestone
    assert schedule.row("a").start.date() == date(2027, 1, 5)
