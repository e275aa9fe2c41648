"""GanttProject .gan files: the real samples against an independent count, each mapped
element, and files that must be refused with the place named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from techpm.interop.exchange import ImportFailed
from techpm.interop.ganttproject.reader import WorkDays, read_gan
from techpm.services.planning import schedule_plan

from .support import GAN_SAMPLES, SAMPLES, by_id, counts, expected_counts, needs_samples, validate

EXPECTED = expected_counts("gan")
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
CALENDAR = """
<calendars><day-types><day-type id="0"/><day-type id="1"/>
<default-week id="1" name="default" sun="1" mon="0" tue="0" wed="0" thu="0" fri="0" sat="1"/>
</day-types></calendars>"""


def gan(tmp_path: Path, body: str, *, head: str = HEAD, name: str = "p.gan") -> Path:
    path = tmp_path / name
    path.write_text(f'{head}<project name="P" version="3.3">{CALENDAR}{body}</project>\n')
    return path


@needs_samples
@pytest.mark.parametrize("path", GAN_SAMPLES, ids=lambda p: p.name)
def test_every_sample_is_a_valid_plan_with_the_counts_of_the_raw_xml(path: Path) -> None:
    result = read_gan(path)
    project = validate(result.document)
    schedule = schedule_plan(project)
    assert schedule.finish >= schedule.start
    expected = EXPECTED[path.name]
    assert {k: v for k, v in counts(result.document).items() if k in expected} == expected


@needs_samples
def test_links_keep_their_type_and_lag_and_only_rubber_links_leave_the_start_free() -> None:
    tasks = by_id(read_gan(SAMPLES / "gan" / "task-with-dependencies.gan").document)
    assert tasks["t1"]["after"] == [{"task": "t0", "type": "SS"}]
    assert tasks["t2"]["after"] == ["t1"]
    assert tasks["t3"]["after"] == [{"task": "t2", "type": "FF", "lag": "-1d"}]
    assert tasks["t4"]["after"] == [{"task": "t3", "type": "SF"}]
    # task C follows B by a rubber link: it stays where it was put, the 5th
    assert tasks["t2"]["constraint"] == {"type": "start_no_earlier_than", "date": date(2024, 1, 5)}
    assert "constraint" not in tasks["t1"]  # a strong link places it
    assert tasks["t0"]["refs"] == {"gantt": 0}


@needs_samples
def test_house_sample_maps_resources_rates_roles_loads_owners_and_notes() -> None:
    result = read_gan(SAMPLES / "gan" / "HouseBuildingSample.gan")
    resources = {r["id"]: r for r in result.document["resources"]}
    assert resources["r0"]["rate"] == "40/d"
    assert resources["r2"]["tags"] == ["Architect"]
    assert resources["r1"]["tags"] == ["project manager"]  # the Default:1 role
    assert resources["r1"]["vacations"] == [{"from": date(2009, 2, 2), "to": date(2009, 2, 9)}]
    tasks = by_id(result.document)
    assert tasks["t9"]["assign"] == [{"resource": "r1", "units": 0.5}, {"resource": "r2"}]
    assert tasks["t9"]["owner"] == "Michelangelo"
    assert tasks["t9"]["percent_complete"] == 100
    assert tasks["t14"]["notes"] == "Embedded devices, kitchen, washing machine, dryer etc"
    assert tasks["t17"]["milestone"] is True
    assert "duration" not in tasks["t0"]  # summaries roll up
    assert "20 calculated custom property values (GanttProject derives them)" in result.skipped
    assert result.reference_dates["t9"] == ("2024-05-27", "2024-06-07")
    assert result.document["project"] == {"name": "HouseBuildingSample", "start": date(2024, 5, 27)}


@needs_samples
def test_recurring_holidays_hold_every_year_the_plan_may_run() -> None:
    result = read_gan(SAMPLES / "gan" / "task-crossing-recurring-holiday.gan")
    nonworking = result.document["calendars"]["standard"]["nonworking"]
    assert date(2024, 1, 3) in nonworking
    assert date(2025, 1, 3) in nonworking
    assert result.reference_dates["t0"] == ("2024-01-02", "2024-01-04")  # the 3rd is off
    schedule = schedule_plan(validate(result.document))
    assert schedule.row("t0").finish.date() == date(2024, 1, 4)


@needs_samples
def test_custom_properties_go_to_notes_and_baselines_are_kept() -> None:
    custom = read_gan(SAMPLES / "gan" / "task-with-custom-properties.gan")
    assert by_id(custom.document)["t0"]["notes"] == "Sample property: value for test"
    baseline = read_gan(SAMPLES / "gan" / "basic-baseline.gan").baselines
    assert list(baseline) == ["baseline-A"]  # a name `techpm baseline` accepts
    entry = baseline["baseline-A"]["tasks"]["t0"]
    assert entry["start"] == "2024-01-04T09:00:00"
    assert entry["finish"] == "2024-01-05T17:00:00"
    assert entry["duration_days"] == 2


@needs_samples
def test_resource_only_files_keep_the_resource_and_a_start_date() -> None:
    rate = read_gan(SAMPLES / "gan" / "resource-with-rate.gan").document
    assert rate["resources"] == [
        {"id": "r0", "name": "Resource 0", "rate": "64/d", "refs": {"gantt": 0}}
    ]
    assert rate["project"]["start"] == date(2023, 12, 28)  # the chart's view date
    vacation = read_gan(SAMPLES / "gan" / "resource-with-vacation.gan").document
    assert vacation["resources"][0]["vacations"] == [
        {"from": date(2024, 1, 1), "to": date(2024, 2, 1)}
    ]


@needs_samples
def test_negative_ids_are_made_valid_and_kept_in_refs() -> None:
    tasks = by_id(read_gan(SAMPLES / "gan" / "BuildAHouse.gan").document)
    assert tasks["t-1073698038"]["refs"] == {"gantt": -1073698038}
    assert tasks["t-2147470224"]["milestone"] is True


def test_working_days_skip_weekends_holidays_and_yearly_holidays() -> None:
    days = WorkDays(
        frozenset({5, 6}), frozenset({date(2024, 1, 2)}), frozenset({(1, 3)}), frozenset()
    )
    assert days.finish(date(2024, 1, 1), 3) == date(2024, 1, 5)
    assert days.next_working(date(2025, 1, 3)) == date(2025, 1, 6)


def test_a_milestone_with_children_becomes_a_summary_and_a_zero_length_task_a_milestone(
    tmp_path: Path,
) -> None:
    body = """<tasks>
      <task id="1" name="Phase" meeting="true" start="2024-01-01" duration="0">
        <task id="2" name="Work" meeting="false" start="2024-01-01" duration="2" complete="30"/>
        <task id="3" name="Done" meeting="false" start="2024-01-03" duration="0"/>
      </task></tasks>"""
    result = read_gan(gan(tmp_path, body))
    tasks = by_id(result.document)
    assert "milestone" not in tasks["t1"]
    assert tasks["t3"]["milestone"] is True
    assert tasks["t2"]["percent_complete"] == 30
    assert "1 milestone with sub-tasks (read as summary tasks)" in result.skipped
    validate(result.document)


def test_links_techpm_forbids_are_left_out_and_said(tmp_path: Path) -> None:
    body = """<tasks>
      <task id="1" name="Phase" meeting="false" start="2024-01-01" duration="2">
        <depend id="2" type="2" difference="0" hardness="Strong"/>
        <depend id="3" type="1" difference="0" hardness="Strong"/>
        <task id="2" name="Inside" meeting="false" start="2024-01-01" duration="2"/>
      </task>
      <task id="3" name="After" meeting="false" start="2024-01-01" duration="1"/></tasks>"""
    result = read_gan(gan(tmp_path, body))
    assert "after" not in by_id(result.document)["t3"]
    assert any("summary task and a task inside it" in s for s in result.skipped)
    assert any("from the start of a summary task" in s for s in result.skipped)
    validate(result.document)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE project [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<project name="&lol3;"/>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<project name="&secret;"/>
"""


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        (BILLION_LAUGHS, "import.unsafe_xml", "entity declarations are refused"),
        (EXTERNAL, "import.unsafe_xml", "refused"),
        (HEAD + '<project name="P"><tasks><task id="1"', "import.bad_xml", "line 2"),
        (HEAD + "<gantt/>", "import.failed", "the root must be <project>"),
        ("", "import.bad_xml", "line 1"),
        ('<?xml version="1.0" encoding="no-such"?><project/>', "import.bad_encoding", "decode"),
    ],
    ids=["billion-laughs", "external-entity", "truncated", "not-gantt", "empty", "encoding"],
)
def test_unsafe_or_broken_xml_is_refused_with_the_place(
    tmp_path: Path, text: str, code: str, words: str
) -> None:
    path = tmp_path / "bad.gan"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        read_gan(path)
    assert caught.value.code == code
    assert "bad.gan" in str(caught.value)
    assert words in str(caught.value)


def test_a_wrong_encoding_is_a_located_xml_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.gan"
    text = HEAD + '<project name="Caf\u00e9 \u00e9t\u00e9"><tasks/></project>'
    path.write_bytes(text.encode("latin-1"))  # declared UTF-8, written Latin-1
    with pytest.raises(
        ImportFailed, match=r"latin\.gan: line 2, column \d+: invalid XML: not well-formed"
    ):
        read_gan(path)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            '<tasks><task id="1" name="A" start="2024-01-01" duration="1">'
            '<depend id="9" type="2"/></task></tasks>',
            "<task id='1'> <depend id='9'>: links to task 9, which is not in the file",
        ),
        (
            '<tasks><task id="1" name="A" start="2024-13-01" duration="1"/></tasks>',
            "<task id='1'> start: '2024-13-01' is not a date",
        ),
        (
            '<tasks><task id="1" name="A" start="2024-01-01" duration="1"/></tasks>'
            '<allocations><allocation task-id="1" resource-id="7" load="100"/></allocations>',
            "resource 7 is not in the file",
        ),
        (
            '<tasks><task id="1" name="A" start="2024-01-01" duration="x"/></tasks>',
            "<task id='1'> duration: 'x' is not a number",
        ),
        (
            '<tasks><task id="1" name="A" start="2024-01-01" duration="1"/>'
            '<task id="1" name="B" start="2024-01-01" duration="1"/></tasks>',
            "task id 1 is used twice",
        ),
    ],
    ids=["missing-link-target", "bad-date", "missing-resource", "bad-number", "duplicate-id"],
)
def test_bad_references_and_values_name_the_element(tmp_path: Path, body: str, words: str) -> None:
    with pytest.raises(ImportFailed) as caught:
        read_gan(gan(tmp_path, body))
    assert words in str(caught.value)


def test_a_cycle_of_links_is_refused_with_its_path(tmp_path: Path) -> None:
    body = """<tasks>
      <task id="1" name="A" start="2024-01-01" duration="1"><depend id="2" type="2"/></task>
      <task id="2" name="B" start="2024-01-01" duration="1"><depend id="3" type="2"/></task>
      <task id="3" name="C" start="2024-01-01" duration="1"><depend id="1" type="2"/></task>
    </tasks>"""
    with pytest.raises(ImportFailed) as caught:
        read_gan(gan(tmp_path, body))
    assert caught.value.code == "import.cycle"
    assert "task 1 -> task 2 -> task 3 -> task 1" in str(caught.value)


def test_absurd_durations_and_nesting_are_refused(tmp_path: Path) -> None:
    negative = '<tasks><task id="1" name="A" start="2024-01-01" duration="-3"/></tasks>'
    with pytest.raises(ImportFailed, match=r"<task id='1'> duration: -3 days is out of range"):
        read_gan(gan(tmp_path, negative))
    opening = "".join(
        f'<task id="{n}" name="T" start="2024-01-01" duration="1">' for n in range(300)
    )
    deep = f"<tasks>{opening}{'</task>' * 300}</tasks>"
    with pytest.raises(ImportFailed, match="tasks nest more than 200 levels deep"):
        read_gan(gan(tmp_path, deep))


def test_a_load_above_100_percent_makes_a_team_that_large(tmp_path: Path) -> None:
    body = """<tasks><task id="1" name="A" start="2024-01-01" duration="2"/></tasks>
      <resources><resource id="5" name="Crew"/></resources>
      <allocations><allocation task-id="1" resource-id="5" load="250.0"/></allocations>"""
    result = read_gan(gan(tmp_path, body))
    crew = result.document["resources"][0]
    assert crew == {"id": "r5", "name": "Crew", "capacity": 2.5, "refs": {"gantt": 5}}
    assert by_id(result.document)["t1"]["assign"] == [{"resource": "r5", "units": 2.5}]
    validate(result.document)
