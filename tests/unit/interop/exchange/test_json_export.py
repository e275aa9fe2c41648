"""The JSON export carries the whole plan and the schedule; its plan part reads back equal."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from techpm.domain.project import Project
from techpm.interop.exchange import ImportFailed
from techpm.interop.json_export import FORMAT, read_json, write_json
from techpm.interop.planfile.dump import find_cycle, plan_document
from techpm.interop.planfile.model import TaskModel
from techpm.scheduling.result import Schedule
from techpm.services.planning import schedule_plan

from .plans import EXAMPLES, load_document


def exported(schedule: Schedule, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "plan.json"
    write_json(schedule, path)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def assert_same_plan(original: Project, loaded: Project) -> None:
    assert replace(loaded, source=original.source) == original
    # other tools' ids do not take part in equality: compare them on their own
    assert [t.refs for t in loaded.tasks] == [t.refs for t in original.tasks]
    assert [r.refs for r in loaded.resources] == [r.refs for r in original.resources]


def test_round_trip_gives_an_equal_plan(rich: Schedule, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    write_json(rich, path)
    result = read_json(path)
    assert result.format == FORMAT
    assert result.skipped == ()
    assert_same_plan(rich.problem.project, load_document(result.document))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_round_trip_of_the_examples(example: Path, tmp_path: Path) -> None:
    schedule = schedule_plan(example)
    path = tmp_path / "plan.json"
    write_json(schedule, path)
    assert_same_plan(schedule.problem.project, load_document(read_json(path).document))


def test_plan_document_is_a_plan_file(rich: Schedule) -> None:
    document = plan_document(rich.problem.project)
    assert [t["id"] for t in document["tasks"]] == ["design", "crit", "a.b/c", "launch"]
    assert [t["id"] for t in document["tasks"][0]["children"]] == ["api", "ux"]
    assert document["tasks"][2]["after"] == ["crit", {"task": "ux", "type": "SS", "lag": "2d"}]
    assert "duration" not in document["tasks"][2]  # written as an effort, kept as one
    assert document["correlations"] == [{"tasks": ["api", "ux"], "coefficient": 0.5}]
    assert document["calendars"]["standard"]["nonworking"] == [
        "2027-01-08",
        {"from": "2027-02-15", "to": "2027-02-17"},
    ]
    assert_same_plan(rich.problem.project, load_document(document))


def test_computed_fields_are_the_schedules(rich: Schedule, tmp_path: Path) -> None:
    data = exported(rich, tmp_path)
    assert [t["id"] for t in data["tasks"]] == [row.id for row in rich.rows]
    for task, row in zip(data["tasks"], rich.rows, strict=True):
        computed = task["schedule"]
        assert computed["start"] == row.start.isoformat()
        assert computed["finish"] == row.finish.isoformat()
        assert computed["late_start"] == row.late_start.isoformat()
        assert computed["late_finish"] == row.late_finish.isoformat()
        assert computed["duration_minutes"] == row.duration_minutes
        assert computed["total_float_minutes"] == row.total_float_minutes
        assert computed["free_float_minutes"] == row.free_float_minutes
        assert computed["critical"] == row.critical
        assert computed["wbs"] == row.wbs
        assert computed["level"] == row.level
        assert computed["summary"] == row.summary
        assert computed["milestone"] == row.milestone
        assert task["parent"] == rich.problem.project.task_by_id[row.id].parent
    build = next(t for t in data["tasks"] if t["id"] == "a.b/c")
    assert build["schedule"]["bookings"] == [
        {"resource": "alice", "units": 1},
        {"resource": "qa", "units": 2},
    ]
    assert "bookings" not in data["tasks"][0]["schedule"]  # a summary books no one
    whole = data["schedule"]
    assert whole["start"] == rich.start.isoformat()
    assert whole["finish"] == rich.finish.isoformat()
    assert whole["minutes_per_day"] == 480
    assert whole["critical_paths"] == rich.critical_paths
    assert {(c["task"], c["type"], c["holds"]) for c in whole["constraints"]} == {
        (c.task_id, c.kind, c.holds) for c in rich.constraint_checks
    }
    assert whole["leveling"] is None


def test_every_task_key_of_the_plan_file_is_present(rich: Schedule, tmp_path: Path) -> None:
    data = exported(rich, tmp_path)
    assert data["format"] == "techpm-json"
    assert data["version"] == 1
    expected = (set(TaskModel.model_fields) - {"children"}) | {"parent", "schedule"}
    for task in data["tasks"]:
        assert set(task) == expected
    for key in ("project", "calendars", "resources", "risks", "procurement", "stakeholders"):
        assert data[key]
    assert data["project"]["name"] == "Checkout: rewrite #2"
    assert data["resources"][1]["rates"] == [{"from": "2027-02-01", "rate": "800/d"}]
    assert data["risks"][0]["impact"]["cost"]["likely"] == 2000


def test_leveled_schedule_says_how(rich_plan: Path, tmp_path: Path) -> None:
    leveled = schedule_plan(rich_plan, level=True, engine="heuristic")
    data = exported(leveled, tmp_path)
    assert data["schedule"]["leveling"]["engine"] == "heuristic"


def test_computed_dates_come_back_as_reference(rich: Schedule, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    write_json(rich, path)
    reference = read_json(path).reference_dates
    assert reference["launch"] == (
        rich.row("launch").start.isoformat(),
        rich.row("launch").finish.isoformat(),
    )


def test_foreign_keys_are_reported_as_skipped(rich: Schedule, tmp_path: Path) -> None:
    data = exported(rich, tmp_path)
    data["dashboard"] = {"colour": "blue"}
    path = tmp_path / "extra.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_json(path).skipped == ("top-level key 'dashboard' (not part of a techpm plan)",)


def write_edited(rich: Schedule, tmp_path: Path, edit: Any) -> Path:
    data = exported(rich, tmp_path)
    edit(data)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def set_task(n: int, key: str, value: Any) -> Any:
    return lambda data: data["tasks"][n].__setitem__(key, value)


@pytest.mark.parametrize(
    ("edit", "where", "code"),
    [
        (set_task(1, "duration", "three days"), "tasks[1].duration", "import.bad_value"),
        (set_task(2, "percent_complete", 140), "tasks[2].percent_complete", "import.bad_value"),
        (set_task(3, "colour", "red"), "tasks[3].colour", "import.bad_value"),
        (set_task(3, "after", ["ghost"]), "tasks[3].after[0]", "import.unknown_task"),
        (set_task(3, "after", [{"task": "crit", "type": "XX"}]), "tasks[3].after[0].type", None),
        (set_task(2, "parent", "ghost"), "tasks[2].parent", "import.unknown_task"),
        (set_task(2, "id", "crit"), "tasks[3].id", "import.duplicate_id"),
        (set_task(2, "id", "has space"), "tasks[2].id", "import.bad_value"),
        (set_task(1, "after", ["launch"]), "tasks[", "import.cycle"),
        (set_task(0, "parent", "api"), "tasks[", "import.cycle"),
        (lambda d: d["project"].__setitem__("start", "soon"), "project.start", None),
        (lambda d: d["resources"][0].__setitem__("capacity", -1), "resources[0].capacity", None),
        (lambda d: d["tasks"].__setitem__(0, "design"), "tasks[0]", "import.bad_json"),
        (lambda d: d.__setitem__("tasks", {}), "tasks", "import.bad_json"),
        (lambda d: d.__setitem__("version", 2), "version", "import.unsupported_version"),
        (lambda d: d.__setitem__("format", "other"), "format", "import.bad_json"),
    ],
)
def test_bad_values_are_named_by_json_path(
    rich: Schedule, tmp_path: Path, edit: Any, where: str, code: str | None
) -> None:
    path = write_edited(rich, tmp_path, edit)
    with pytest.raises(ImportFailed) as caught:
        read_json(path)
    assert str(caught.value).startswith(f"edited.json: {where}")
    if code:
        assert caught.value.code == code


def test_cycle_message_names_the_loop(rich: Schedule, tmp_path: Path) -> None:
    path = write_edited(rich, tmp_path, set_task(1, "after", ["launch"]))
    with pytest.raises(ImportFailed, match=r"dependencies form a cycle: .*launch"):
        read_json(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "techpm-json", "version": 1, "tasks": [', r"line 1, column \d+: not valid"),
        (b"", r"line 1, column 1: not valid JSON"),
        (b'{"format": "techpm-json"}\n]', r"line 2, column 1: not valid JSON"),
        ('{"format": "techpm-json", "name": "Ä"}'.encode("latin-1"), r"byte \d+: not UTF-8"),
        (b"[1, 2]", r"format: not a techpm JSON export"),
        (b"[" * 100_000, r"JSON nested too deeply"),
    ],
)
def test_unreadable_files_fail_with_the_place(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=rf"^broken.json: ({message})"):
        read_json(path)


def test_missing_file_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r"missing.json: cannot read"):
        read_json(tmp_path / "missing.json")


def test_byte_order_mark_and_non_ascii_text(rich: Schedule, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    write_json(rich, path)
    text = path.read_text(encoding="utf-8").replace("Alice Martin", "Zoë Müller")
    assert "Zoë Müller" in text
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    document = read_json(path).document
    assert document["resources"][0]["name"] == "Zoë Müller"


def test_find_cycle() -> None:
    assert find_cycle({"a": ["b"], "b": ["c"], "c": []}) is None
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": ["a"]}) == ["a", "a"]
    assert find_cycle({"x": ["y"], "y": ["z"], "z": ["y"]}) == ["y", "z", "y"]
