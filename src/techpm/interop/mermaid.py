"""The schedule as a Mermaid `gantt` chart, to paste into Markdown docs and wikis.

Mermaid reads a task line as `name : tags, id, start, end` and ends a statement at `#`
(a comment) and `;`, so names lose those characters to look-alikes; a name that starts
with one of the chart's keywords would be read as that keyword, so it gets its WBS number
in front. Bars use the schedule's dates, never Mermaid's own duration arithmetic.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from techpm.scheduling.result import Schedule, TaskSchedule

# characters Mermaid's gantt grammar cannot hold in a name, and what stands in for them
_STAND_INS = str.maketrans({":": "\u2236", "#": "\uff03", ";": "\uff1b", "\n": " ", "\r": " "})
_KEYWORDS = {
    "gantt",
    "title",
    "section",
    "dateformat",
    "axisformat",
    "tickinterval",
    "includes",
    "excludes",
    "inclusiveenddates",
    "topaxis",
    "todaymarker",
    "weekday",
    "weekend",
    "acctitle",
    "accdescr",
    "click",
    "call",
    "href",
}
_TAGS = {"active", "done", "crit", "milestone", "vert"}
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def write_mermaid(schedule: Schedule, path: Path) -> None:
    """A `.md` file gets the chart in a ```mermaid fence, any other file the bare chart; the
    `.md` may sit before a temporary suffix (`plan.md.partial`)."""
    chart = mermaid_gantt(schedule)
    markdown = ".md" in (suffix.lower() for suffix in path.suffixes)
    text = f"```mermaid\n{chart}```\n" if markdown else chart
    path.write_text(text, encoding="utf-8")


def mermaid_gantt(schedule: Schedule) -> str:
    """One section per top-level WBS element, holding everything below it."""
    project = schedule.problem.project
    rows = schedule.rows
    ids = _chart_ids(rows)
    lines = [
        "gantt",
        f"    title {_text(project.info.name) or 'Schedule'}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y-%m-%d",
    ]
    for n, row in enumerate(rows):
        if row.level == 0:
            lines.append(f"    section {_name(row)}")
            if row.summary:
                continue  # its bar would only repeat the section
        lines.append(_task_line(row, ids[n], project.task_by_id[row.id].actual_finish is not None))
    return "\n".join(lines) + "\n"


def _task_line(row: TaskSchedule, chart_id: str, finished: bool) -> str:
    tags = []
    if row.percent_complete >= 100 or finished:
        tags.append("done")
    elif row.percent_complete > 0:
        tags.append("active")
    if row.critical:
        tags.append("crit")
    start = row.start.date().isoformat()
    if row.milestone:
        tags.append("milestone")
        end = "0d"
    else:
        end = _end_day(row.start, row.finish)
    return f"    {_name(row)} :{', '.join([*tags, chart_id, start, end])}"


def _end_day(start: datetime, finish: datetime) -> str:
    """Mermaid ends a bar at the start of its end date: give the day after the last one."""
    last = finish
    if finish > start and finish.time() == datetime.min.time():
        last -= timedelta(minutes=1)
    return (last.date() + timedelta(days=1)).isoformat()


def _text(value: str) -> str:
    return " ".join(value.translate(_STAND_INS).split())


def _name(row: TaskSchedule) -> str:
    name = _text(row.name) or row.id
    first = name.split(" ", 1)[0].lower()
    if first in _KEYWORDS or name.startswith("%%"):
        name = f"{row.wbs} {name}"
    return name


def _chart_ids(rows: list[TaskSchedule]) -> list[str]:
    """Task ids as Mermaid can take them: letters, digits, `_` and `-`, never a tag word."""
    used: set[str] = set()
    out = []
    for row in rows:
        base = _ID_UNSAFE.sub("_", row.id)
        if base.lower() in _TAGS or not base[0].isalpha():
            base = f"t_{base}"
        chart_id, n = base, 1
        while chart_id in used:
            n += 1
            chart_id = f"{base}_{n}"
        used.add(chart_id)
        out.append(chart_id)
    return out
