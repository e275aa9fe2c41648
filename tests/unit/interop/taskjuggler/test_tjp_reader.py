"""TaskJuggler files: the eight samples, each mapped statement, and the errors that name
their line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from techpm.interop.exchange import ImportFailed
from techpm.interop.taskjuggler import read_tjp
from techpm.services.planning import schedule_plan

from .support import SAMPLES, by_id, needs_samples, validate

TJP_SAMPLES = sorted((SAMPLES / "tjp").glob("*.tjp")) if SAMPLES.is_dir() else []


def tjp(tmp_path: Path, body: str, header: str = 'project p "P" 2024-01-01 +3m {}') -> Path:
    path = tmp_path / "plan.tjp"
    path.write_text(f"{header}\n{body}\n", encoding="utf-8")
    return path


@needs_samples
@pytest.mark.parametrize("path", TJP_SAMPLES, ids=lambda p: p.name)
def test_every_sample_is_a_valid_plan_that_schedules(path: Path) -> None:
    result = read_tjp(path)
    schedule = schedule_plan(validate(result.document))
    assert schedule.finish >= schedule.start


@needs_samples
def test_tutorial_tasks_links_efforts_and_resources() -> None:
    result = read_tjp(SAMPLES / "tjp" / "tutorial.tjp")
    document = result.document
    assert document["project"] == {
        "name": "Accounting Software",
        "start": date(2002, 1, 16),
        "currency": "USD",
    }
    assert document["calendars"]["standard"]["nonworking"] == [date(2002, 3, 29)]
    tasks = by_id(document)
    spec = tasks["AcSo.spec"]
    assert spec["effort"] == "20d"  # allocated through the allocate_developers macro
    assert spec["assign"] == [{"resource": r} for r in ("dev1", "dev2", "dev3")]
    assert spec["after"] == ["AcSo.deliveries.start"]  # !deliveries.start
    assert tasks["AcSo.test.alpha"]["after"] == ["AcSo.software"]  # !!software
    assert tasks["AcSo.test.alpha"]["effort"] == "5d"  # 1w
    assert tasks["AcSo.manual"]["effort"] == "50d"  # 10w
    assert tasks["AcSo.software.gui"]["priority"] == 1000  # from its parent
    assert tasks["AcSo.software.backend"]["percent_complete"] == 95
    assert tasks["AcSo.deliveries.done"]["milestone"] is True
    assert tasks["AcSo"]["owner"] == "Paul Henry Bullock"
    people = {r["id"]: r for r in document["resources"]}
    assert set(people) == {"boss", "dev1", "dev2", "dev3", "test", "doc"}  # groups are tags
    assert people["dev3"]["tags"] == ["dev", "team"]
    assert people["dev3"]["vacations"] == [{"from": date(2002, 2, 1), "to": date(2002, 2, 4)}]
    assert people["dev2"]["rate"] == "390.0/d"  # the file's default rate
    assert people["dev1"]["rate"] == "350.0/d"
    skipped = " | ".join(result.skipped)
    assert "project end 2002-05-16 (TaskJuggler's scheduling window" in skipped  # +4m
    for words in ("4 taskreport blocks", "3 journal entries", "2 limits blocks", "allocate_"):
        assert words in skipped


@needs_samples
def test_scrum_absolute_links_and_the_todo_list_ids_from_names() -> None:
    scrum = by_id(read_tjp(SAMPLES / "tjp" / "scrum.tjp").document)
    assert scrum["product.s3.t1"]["after"] == ["product.s1.t2"]  # an absolute id
    assert scrum["product.s3.t2"]["after"] == ["product.s3.t1"]
    assert scrum["product.s2"]["after"] == ["product.s1"]
    todo = by_id(read_tjp(SAMPLES / "tjp" / "todolist.tjp").document)
    milk = todo["errands.by_some_milk"]
    assert milk["milestone"] is True
    assert milk["percent_complete"] == 100
    assert milk["constraint"] == {"type": "must_finish_on", "date": date(2011, 12, 13)}
    assert milk["priority"] == 7


@needs_samples
def test_exported_schedules_keep_their_dates_and_who_was_booked() -> None:
    result = read_tjp(SAMPLES / "tjp" / "Allocate-1.tjp")
    tasks = by_id(result.document)
    assert tasks["t1.t3"]["assign"] == [{"resource": "r1"}, {"resource": "r2"}]
    assert tasks["t1.t3"]["duration"] == "10d"  # 5 to 18 June, working days
    assert result.reference_dates["t1.t2"] == ("2003-06-19", "2003-07-02")
    assert result.document["calendars"]["r1"]["workweek"]["mon"] == ["09:00-17:00"]
    assert "3 bookings (who worked on the task is kept, not when)" in result.skipped


def test_links_with_gaps_starts_ends_and_precedes(tmp_path: Path) -> None:
    body = """
task a "A" { length 2d }
task b "B" { duration 2w depends a { gaplength 1d } }
task c "C" { duration 3d depends a { onstart gapduration 7d } }
task d "D" { length 1d precedes c { onend } }
task e "E" { effort 4h start 2024-02-01 }
task f "F" { length 1d maxend 2024-03-01 minstart 2024-01-10 }
task g "G" { milestone start ${now} }
task h "H" { milestone end ${projectend} }
"""
    result = read_tjp(tjp(tmp_path, body))
    tasks = by_id(result.document)
    assert tasks["b"]["after"] == [{"task": "a", "lag": "1d"}]
    assert tasks["b"]["duration"] == "10d"  # two calendar weeks
    assert tasks["c"]["after"] == [
        {"task": "a", "type": "SS", "lag": "5d"},
        {"task": "d", "type": "FF"},
    ]
    assert tasks["c"]["duration"] == "2.14d"
    assert tasks["e"]["duration"] == "4h"
    assert tasks["e"]["constraint"] == {"type": "start_no_earlier_than", "date": date(2024, 2, 1)}
    assert tasks["f"]["constraint"] == [
        {"type": "finish_no_later_than", "date": date(2024, 2, 29)},
        {"type": "start_no_earlier_than", "date": date(2024, 1, 10)},
    ]
    assert "constraint" not in tasks["g"]
    assert "1 date given as ${now} or ${today} (no fixed day in a plan)" in result.skipped
    assert tasks["h"]["constraint"] == {"type": "must_finish_on", "date": date(2024, 4, 1)}
    assert "1 effort without an allocation read as durations" in result.skipped
    assert any(s.startswith("2 calendar-time durations approximated") for s in result.skipped)
    validate(result.document)


def test_working_hours_day_length_and_global_leaves(tmp_path: Path) -> None:
    header = """project p "P" 2024-01-01 - 2024-06-01 {
  dailyworkinghours 6
  workinghours mon - thu 9:00 - 12:00, 13:00 - 16:00
  workinghours fri, sat, sun off
}"""
    body = """
vacation "Break" 2024-01-10 - 2024-01-12, 2024-02-01 + 2d
resource r "R" { leaves sick 2024-03-04 }
task t "T" { effort 2d allocate r }
"""
    document = read_tjp(tjp(tmp_path, body, header)).document
    calendar = document["calendars"]["standard"]
    assert calendar["workweek"] == {
        d: ["09:00-12:00", "13:00-16:00"] for d in ("mon", "tue", "wed", "thu")
    }
    assert calendar["nonworking"] == [
        {"from": date(2024, 1, 10), "to": date(2024, 1, 11)},
        {"from": date(2024, 2, 1), "to": date(2024, 2, 2)},
    ]
    assert document["resources"][0]["vacations"] == [
        {"from": date(2024, 3, 4), "to": date(2024, 3, 4)}
    ]
    assert by_id(document)["t"]["effort"] == "12h"  # two days of six hours
    validate(document)


def test_groups_allocate_all_members_and_tasks_inherit_allocations(tmp_path: Path) -> None:
    body = """
resource team "Team" { resource a "A" resource b "B" }
task parent "Parent" {
  allocate team
  task one "One" { effort 4d }
  task two "Two" { effort 1d allocate a }
}
"""
    tasks = by_id(read_tjp(tjp(tmp_path, body)).document)
    assert tasks["parent.one"]["assign"] == [{"resource": "a"}, {"resource": "b"}]
    assert tasks["parent.two"]["assign"] == [{"resource": "a"}, {"resource": "b"}]
    assert "assign" not in tasks["parent"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('task a "A" { depends nosuch }', "line 2: nosuch is not a task (looked for 'nosuch')"),
        (
            'task a "A" { task b "B" { depends !!!x } }',
            "line 2: !!!x climbs above the top-level tasks",
        ),
        (
            'task a "A" { effort 1d allocate ghost }',
            "line 2: allocates 'ghost', which is not a resource",
        ),
        ('task a "A" { start 2024-02-30 }', "line 2: '2024-02-30' is not a date"),
        ('task a "A" { }\ntask a "Again" { }', "line 3: task 'a' is defined twice"),
        ("supplement task nosuch { }", "line 2: supplement of unknown task 'nosuch'"),
        ('task a "A" {', "line 2: a { is never closed with }"),
        ('task a "A" { note "open }', 'line 2: a " string is never closed'),
    ],
    ids=["unknown", "too-many-bangs", "resource", "date", "twice", "supplement", "brace", "string"],
)
def test_errors_name_the_line(tmp_path: Path, body: str, words: str) -> None:
    with pytest.raises(ImportFailed) as caught:
        read_tjp(tjp(tmp_path, body))
    assert f"plan.tjp: {words}" in str(caught.value)


def test_a_cycle_is_refused_with_its_path(tmp_path: Path) -> None:
    body = """
task a "A" { length 1d depends c }
task b "B" { length 1d depends a }
task c "C" { length 1d depends b }
"""
    with pytest.raises(ImportFailed) as caught:
        read_tjp(tjp(tmp_path, body))
    assert caught.value.code == "import.cycle"
    assert "a -> b -> c -> a" in str(caught.value)


def test_no_header_and_bad_encoding_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.tjp"
    path.write_text('task a "A" { length 1d }\n', encoding="utf-8")
    with pytest.raises(ImportFailed, match="no `project` header"):
        read_tjp(path)
    path.write_bytes('project p "Caf\u00e9" 2024-01-01 +1m {}\n\n'.encode("latin-1"))
    with pytest.raises(ImportFailed, match=r"plan\.tjp: line 1: not UTF-8"):
        read_tjp(path)


def test_links_techpm_cannot_hold_are_left_out_and_said(tmp_path: Path) -> None:
    body = """
task p "P" {
  task a "A" { length 1d depends p }
}
task q "Q" { task b "B" { length 1d } }
task c "C" { length 1d depends q { onstart } }
"""
    result = read_tjp(tjp(tmp_path, body))
    tasks = by_id(result.document)
    assert "after" not in tasks["p.a"]
    assert "after" not in tasks["c"]
    assert any("summary task and a task inside it" in s for s in result.skipped)
    assert any("from the start of a summary task" in s for s in result.skipped)
    validate(result.document)


def test_blocks_nested_beyond_reason_are_refused(tmp_path: Path) -> None:
    deep = "".join(f'task t{n} "T" {{\n' for n in range(3000)) + "}\n" * 3000
    with pytest.raises(ImportFailed, match="blocks nest too deeply"):
        read_tjp(tjp(tmp_path, deep))


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('task a "A" { effort lots }', "line 2: `effort` needs a number"),
        ('task a "A" { length 3x }', "line 2: expected a duration such as 5d or 4h, not '3'"),
        ('vacation "V" 2024-01-01 + soon', "line 2: expected a duration such as 5d or 4h"),
        ('resource r "R" { workinghours mon 9:00 }', "line 2: workinghours needs weekdays"),
        ('task a "A" { length 1d depends b { gaplength x } }\ntask b "B"', "line 2: expected a"),
        ('vacation "V" 9999-12-30 + 5d', "a date or span reaches past the year 9999"),
    ],
    ids=["effort", "unit", "span", "hours", "gap", "overflow"],
)
def test_values_that_are_not_what_they_should_be_name_the_line(
    tmp_path: Path, body: str, words: str
) -> None:
    with pytest.raises(ImportFailed) as caught:
        read_tjp(tjp(tmp_path, body))
    assert words in str(caught.value)
