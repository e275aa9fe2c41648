"""Mermaid gantt charts: every line fits the gantt grammar, bars carry the schedule's dates."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from techpm.interop.mermaid import mermaid_gantt, write_mermaid
from techpm.scheduling.result import Schedule
from techpm.services.planning import schedule_plan

from .plans import EXAMPLES

# the statements of Mermaid's gantt grammar this exporter writes
HEADER = [
    re.compile(r"^gantt$"),
    re.compile(r"^    title [^#;\n]+$"),
    re.compile(r"^    dateFormat YYYY-MM-DD$"),
    re.compile(r"^    axisFormat [%\w-]+$"),
]
SECTION = re.compile(r"^    section (?P<name>[^#:;\n]+)$")
TASK = re.compile(r"^    (?P<name>[^:#;\n]+?) :(?P<data>[^#;\n]+)$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
CHART_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
TAGS = {"active", "done", "crit", "milestone"}
KEYWORDS = {"gantt", "title", "section", "dateformat", "axisformat", "excludes", "click"}


def parse(chart: str) -> tuple[list[str], list[dict[str, object]]]:
    """Sections and tasks, failing on any line the grammar would not take."""
    lines = chart.splitlines()
    for pattern, line in zip(HEADER, lines, strict=False):
        assert pattern.match(line), line
    sections: list[str] = []
    tasks: list[dict[str, object]] = []
    for line in lines[len(HEADER) :]:
        section = SECTION.match(line)
        if section:
            sections.append(section["name"])
            continue
        task = TASK.match(line)
        assert task, f"not a gantt statement: {line!r}"
        assert task["name"].split(" ", 1)[0].lower() not in KEYWORDS, line
        data = task["data"].split(", ")
        tags = []
        while data[0] in TAGS:
            tags.append(data.pop(0))
        assert len(data) == 3, line
        chart_id, start, end = data
        assert CHART_ID.match(chart_id), line
        assert DATE.match(start), line
        assert DATE.match(end) or end == "0d", line
        tasks.append(
            {"name": task["name"], "tags": tags, "id": chart_id, "start": start, "end": end}
        )
    assert sections, "a chart without sections"
    return sections, tasks


def test_every_line_fits_the_grammar(rich: Schedule) -> None:
    chart = mermaid_gantt(rich)
    sections, tasks = parse(chart)
    assert sections == [
        "Design\u2236 phase \uff031\uff1b first",
        "2 section review",
        "Build",
        "Launch",
    ]
    assert len({t["id"] for t in tasks}) == len(tasks)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_give_valid_charts(example: Path) -> None:
    schedule = schedule_plan(example)
    sections, tasks = parse(mermaid_gantt(schedule))
    top = [row for row in schedule.rows if row.level == 0]
    assert len(sections) == len(top)
    shown = [row for row in schedule.rows if not (row.level == 0 and row.summary)]
    assert len(tasks) == len(shown)
    for task, row in zip(tasks, shown, strict=True):
        assert task["start"] == row.start.date().isoformat()
        assert ("crit" in task["tags"]) == row.critical  # type: ignore[operator]
        assert ("milestone" in task["tags"]) == row.milestone  # type: ignore[operator]


def test_bars_tags_and_escapes(rich: Schedule) -> None:
    _, tasks = parse(mermaid_gantt(rich))
    by_id = {str(t["id"]): t for t in tasks}
    assert set(by_id) == {"api", "ux", "t_crit", "a_b_c", "launch"}
    assert by_id["api"]["tags"] == ["done"]
    assert by_id["ux"]["tags"] == ["active"]
    assert by_id["t_crit"]["tags"] == ["crit"]
    assert by_id["t_crit"]["name"] == "2 section review"  # not read as a new section
    assert by_id["launch"]["tags"] == ["crit", "milestone"]
    assert by_id["launch"]["end"] == "0d"
    build = rich.row("a.b/c")
    assert by_id["a_b_c"]["start"] == build.start.date().isoformat()
    # Mermaid ends a bar at the start of its end date: the day after the last day worked
    assert by_id["a_b_c"]["end"] == (build.finish.date() + timedelta(days=1)).isoformat()


def test_a_task_ending_at_midnight_ends_on_its_last_day(tmp_path: Path) -> None:
    plan = tmp_path / "round.yaml"
    plan.write_text(
        "project: {name: Round the clock, start: 2027-01-04, calendar: allday}\n"
        "calendars: {allday: {workweek: [mon, tue, wed, thu, fri], hours_per_day: 24}}\n"
        "tasks: [{id: run, name: Run, duration: 2d}]\n",
        encoding="utf-8",
    )
    _, tasks = parse(mermaid_gantt(schedule_plan(plan)))
    assert (tasks[0]["start"], tasks[0]["end"]) == ("2027-01-04", "2027-01-06")
    assert date.fromisoformat(str(tasks[0]["end"])) == date(2027, 1, 6)


def test_markdown_files_get_a_fence(rich: Schedule, tmp_path: Path) -> None:
    write_mermaid(rich, tmp_path / "plan.md")
    write_mermaid(rich, tmp_path / "plan.mmd")
    write_mermaid(rich, tmp_path / ".plan.md.partial")  # written next to it, then renamed
    fenced = (tmp_path / "plan.md").read_text(encoding="utf-8")
    assert (tmp_path / ".plan.md.partial").read_text(encoding="utf-8") == fenced
    bare = (tmp_path / "plan.mmd").read_text(encoding="utf-8")
    assert fenced == f"```mermaid\n{bare}```\n"
    assert bare.startswith("gantt\n    title Checkout\u2236 rewrite \uff032\n")
