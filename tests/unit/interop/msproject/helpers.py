"""Shared by the MS Project tests: the sample files, small MSPDI documents written inline,
and the plan loader that `techpm import` validates documents with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from techpm.scheduling.result import Schedule
from techpm.services.planning import schedule_plan

from ..documents import (
    REPO,
    SAMPLES,
    counts,
    load,
    mpxj_available,
    needs_samples,
    plan_text,
    require_mpxj,
    walk,
)

__all__ = [
    "MPP_SAMPLES",
    "MSPDI_SAMPLES",
    "REPO",
    "SAMPLES",
    "STANDARD",
    "counts",
    "load",
    "mpxj_available",
    "ms_task",
    "mspdi",
    "needs_samples",
    "plan_text",
    "require_mpxj",
    "schedule",
    "task",
    "walk",
    "write",
]

MSPDI_SAMPLES = sorted(SAMPLES.glob("mspdi/*.xml"))
MPP_SAMPLES = sorted(SAMPLES.glob("mpp/*.mpp"))


def schedule(document: dict[str, Any]) -> Schedule:
    return schedule_plan(load(document).project)


def task(document: dict[str, Any], task_id: str) -> dict[str, Any]:
    return next(t for t in walk(document["tasks"]) if t["id"] == task_id)


STANDARD = """
<Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>
<BaseCalendarUID>-1</BaseCalendarUID><WeekDays>
<WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>
<WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes>
<WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>
<WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime>
</WorkingTimes></WeekDay>
<WeekDay><DayType>3</DayType><DayWorking>1</DayWorking></WeekDay>
<WeekDay><DayType>4</DayType><DayWorking>1</DayWorking></WeekDay>
<WeekDay><DayType>5</DayType><DayWorking>1</DayWorking></WeekDay>
<WeekDay><DayType>6</DayType><DayWorking>1</DayWorking></WeekDay>
<WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay>
</WeekDays>{extra}</Calendar>
"""


def mspdi(
    tasks: str = "",
    *,
    calendars: str | None = None,
    resources: str = "",
    assignments: str = "",
    header: str = "",
) -> str:
    """A small MSPDI document: a 2027-01-04 start, MS Project's standard calendar."""
    cals = STANDARD.format(extra="") if calendars is None else calendars
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Project xmlns="http://schemas.microsoft.com/project">\n'
        "<Name>test.xml</Name><Title>Test</Title><StartDate>2027-01-04T08:00:00</StartDate>\n"
        f"<CalendarUID>1</CalendarUID><MinutesPerDay>480</MinutesPerDay>{header}\n"
        f"<Calendars>{cals}</Calendars>\n"
        f"<Tasks>\n{tasks}\n</Tasks>\n"
        f"<Resources>{resources}</Resources>\n"
        f"<Assignments>{assignments}</Assignments>\n"
        "</Project>\n"
    )


def ms_task(uid: int, name: str, level: int = 1, body: str = "", duration: str = "PT8H0M0S") -> str:
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name>"
        f"<OutlineLevel>{level}</OutlineLevel><Start>2027-01-04T08:00:00</Start>"
        f"<Finish>2027-01-04T17:00:00</Finish><Duration>{duration}</Duration>"
        f"<DurationFormat>7</DurationFormat>{body}</Task>"
    )


def write(tmp_path: Path, text: str, name: str = "plan.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
