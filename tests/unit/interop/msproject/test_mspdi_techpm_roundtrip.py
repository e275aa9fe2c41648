"""A techpm plan through MS Project XML and back: the same ids, resource ids, calendars
(week, hours, holidays, exceptions, base), the data MSPDI has no field for (skills, needs,
three-point estimates, risks ...) and the same schedule, for every example plan and for a
release with a US team and a Berlin team. What MS Project itself sees is checked too: a
Berlin calendar that does not inherit US holidays, and holidays over the whole plan."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from techpm.domain.project import Project
from techpm.interop.msproject.mspdi_reader import read_mspdi
from techpm.interop.msproject.mspdi_writer import mspdi_bytes
from techpm.interop.planfile.loader import load_plan_file
from techpm.scheduling.result import Schedule
from techpm.services.planning import schedule_plan

from .helpers import REPO, load

EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))

RELEASE = """
project: {name: Checkout release, start: 2027-09-01, calendar: us, currency: EUR}
calendars:
  us: {workweek: [mon, tue, wed, thu, fri], hours: ["09:00-17:00"], holidays: {country: US}}
  berlin:
    base: us
    workweek: [mon, tue, wed, thu, fri]
    hours: ["08:00-12:00", "13:00-17:00"]
    holidays: {country: DE, subdiv: BE}
    nonworking: [{from: 2027-12-27, to: 2027-12-31}]
resources:
  - {id: ana, name: Ana Ruiz, rate: 720/d, skills: {backend: 7}}
  - {id: fay, name: Fay Weber, calendar: berlin, rate: 90/h, skills: {android: 8},
     vacations: [[2027-10-11, 2027-10-15]]}
  - {id: raj, name: Raj Patel, rate: 700/d, skills: {backend: 5, android: 4}}
tasks:
  - id: kickoff
    name: Kickoff
    milestone: true
  - id: api
    name: Payments API
    after: [kickoff]
    estimate: {optimistic: 8d, likely: 10d, pessimistic: 16d}
    assign: [{resource: ana}]
    tags: [backend]
  - id: android
    name: Android checkout
    calendar: berlin
    after: [api]
    effort: 15d
    assign: [{resource: fay}]
  - id: hardening
    name: Hardening
    after: [{task: android, type: SS, lag: 5d}]
    duration: 10d
    needs: [{skill: backend, level: 5}]
  - id: support
    name: Launch support
    after: [hardening]
    duration: 60d
    assign: [{resource: raj, units: 0.5}]
  - id: launch
    name: Launch
    milestone: true
    after: [support]
    deadline: 2028-03-31
risks:
  - {id: sca, title: Card payments need SCA rework, probability: 0.3,
     impact: {schedule: [{task: api, delay: 5d}], cost: 4000}}
stakeholders:
  - {id: cfo, name: Dana Cole, role: CFO, interest: 4, influence: 5}
"""


def through_mspdi(schedule: Schedule, tmp_path: Path, *, carried: bool = True) -> Project:
    """Export, import (as techpm reads it, or only MSPDI's own fields as another tool
    would) and load the imported document as `techpm import` validates it."""
    data = mspdi_bytes(schedule)
    if not carried:
        data = re.sub(rb"<ExtendedAttributes>.*?</ExtendedAttributes>", b"", data, flags=re.S)
    path = tmp_path / "plan.xml"
    path.write_bytes(data)
    return load(read_mspdi(path).document).project


def without_refs(item: Any) -> Any:
    return dataclasses.replace(item, refs={})


def assert_same_plan(before: Project, after: Project) -> None:
    assert [t.id for t in after.tasks] == [t.id for t in before.tasks]
    assert [r.id for r in after.resources] == [r.id for r in before.resources]
    assert after.calendars == before.calendars  # week, hours, holidays, exceptions, base
    assert after.info == before.info
    # everything else a task and a resource hold: needs, skills, estimates, efforts ...
    assert [without_refs(t) for t in after.tasks] == [without_refs(t) for t in before.tasks]
    assert [without_refs(r) for r in after.resources] == [without_refs(r) for r in before.resources]
    assert after.dependencies == before.dependencies
    assert (after.risks, after.stakeholders) == (before.risks, before.stakeholders)


def dates(schedule: Schedule) -> dict[str, tuple[Any, Any]]:
    return {row.id: (row.start, row.finish) for row in schedule.rows}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_comes_back_as_the_same_plan_and_schedule(path: Path, tmp_path: Path) -> None:
    before = load_plan_file(path).project
    schedule = schedule_plan(before)
    after = through_mspdi(schedule, tmp_path)
    assert_same_plan(before, after)
    assert schedule_plan(after).problem.calendars == schedule.problem.calendars
    assert dates(schedule_plan(after)) == dates(schedule)


def release(tmp_path: Path) -> Project:
    path = tmp_path / "release.yaml"
    path.write_text(RELEASE, encoding="utf-8")
    return load_plan_file(path).project


def test_a_us_and_a_berlin_team_come_back_as_they_were(tmp_path: Path) -> None:
    before = release(tmp_path)
    schedule = schedule_plan(before)
    after = through_mspdi(schedule, tmp_path)
    assert_same_plan(before, after)
    assert [t.id for t in after.tasks][:2] == ["kickoff", "api"]  # not t444916746
    assert after.calendars["berlin"].base == "us"
    assert dates(schedule_plan(after)) == dates(schedule)


def test_ms_project_sees_a_berlin_calendar_without_us_holidays(tmp_path: Path) -> None:
    """MS Project gives a derived calendar every exception of its base: written as derived
    from `us`, Berlin would stop on Thanksgiving. It is written whole instead."""
    before = release(tmp_path)
    text = mspdi_bytes(schedule_plan(before)).decode()
    berlin = re.search(
        r"<Calendar>\s*<UID>\d+</UID>\s*<Name>berlin</Name>.*?</Calendar>", text, re.S
    )
    assert berlin is not None
    assert "<IsBaseCalendar>1</IsBaseCalendar>" in berlin[0]
    seen = through_mspdi(schedule_plan(before), tmp_path, carried=False)
    off = seen.calendars["berlin"].nonworking
    assert date(2027, 11, 25) not in off  # US Thanksgiving
    assert date(2027, 10, 4) not in off  # nor the Columbus Day of the us calendar
    assert date(2028, 3, 8) in off  # Berlin's International Women's Day
    assert date(2027, 12, 28) in off  # the Berlin team's own days off
    us_off = seen.calendars["us"].nonworking
    assert date(2027, 11, 25) in us_off
    assert date(2028, 3, 8) not in us_off


def test_holidays_are_listed_over_the_whole_plan_and_a_year_beyond(tmp_path: Path) -> None:
    """The plan runs from 2027-09-01 into 2028 (launch support alone is 60 days); every
    year from the start to a year after the finish has its holidays written, so that the
    plan can slip in MS Project and still meet them."""
    before = release(tmp_path)
    schedule = schedule_plan(before)
    assert schedule.finish.year == 2028
    seen = through_mspdi(schedule, tmp_path, carried=False)
    us_off = seen.calendars["us"].nonworking
    berlin_off = seen.calendars["berlin"].nonworking
    assert date(2027, 9, 6) in us_off  # Labor Day, the first week of the plan
    assert date(2028, 5, 29) in us_off  # Memorial Day after the finish
    assert date(2029, 1, 1) in us_off
    assert date(2029, 12, 25) in us_off
    assert date(2029, 10, 3) in berlin_off  # German Unity Day in the year beyond


def test_a_calendar_changed_in_ms_project_is_read_as_the_file_gives_it(tmp_path: Path) -> None:
    before = release(tmp_path)
    text = mspdi_bytes(schedule_plan(before)).decode()
    # in MS Project someone takes 2027-11-26, a Friday, off on the us calendar
    us = re.search(r"(<Name>us</Name>.*?<Exceptions>)", text, re.S)
    assert us is not None
    extra = (
        "<Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>"
        "<FromDate>2027-11-26T00:00:00</FromDate><ToDate>2027-11-26T23:59:00</ToDate>"
        "</TimePeriod><Occurrences>1</Occurrences><Name>Bridge day</Name><Type>1</Type>"
        "<DayWorking>0</DayWorking></Exception>"
    )
    path = tmp_path / "edited.xml"
    path.write_text(text[: us.end()] + extra + text[us.end() :], encoding="utf-8")
    result = read_mspdi(path)
    assert any("calendar us was changed in MS Project" in s for s in result.skipped)
    after = load(result.document).project
    assert date(2027, 11, 26) in after.calendars["us"].nonworking
    assert date(2027, 11, 25) in after.calendars["us"].nonworking  # the holidays as days
    assert after.calendars["berlin"] == before.calendars["berlin"]  # untouched: as written
    assert [t.id for t in after.tasks] == [t.id for t in before.tasks]


def test_carried_data_cut_in_ms_project_is_said_not_read(tmp_path: Path) -> None:
    before = release(tmp_path)
    text = mspdi_bytes(schedule_plan(before)).decode()
    # the piece with the Payments API estimate loses its end, as a 255-character field
    # filled by hand would
    cut = re.sub(r'(<Value>\{[^<]*"estimate":[^<]{10})[^<]*', r"\1", text, count=1)
    assert cut != text
    path = tmp_path / "cut.xml"
    path.write_text(cut, encoding="utf-8")
    result = read_mspdi(path)
    assert any("techpm data of task UID" in s and "not read" in s for s in result.skipped)
    after = load(result.document).project
    api = next(t for t in after.tasks if t.id == "api")
    assert api.estimate is None
    assert api.duration_minutes == 10 * 8 * 60


def test_data_too_large_for_ms_project_is_reported_as_not_carried(tmp_path: Path) -> None:
    """Data over 19 fields of 255 characters, even compressed, is left out and listed."""
    before = release(tmp_path)
    risks = [
        {"id": f"r{n}", "title": "Part " + "".join(_digest(f"{n}.{k}") for k in range(3)),
         "probability": 0.1, "impact": {"cost": 1000}}
        for n in range(60)
    ]  # fmt: skip
    path = tmp_path / "big.yaml"
    path.write_text(RELEASE.replace("risks:\n", "risks:\n" + _yaml_list(risks)), encoding="utf-8")
    big = load_plan_file(path).project
    assert len(big.risks) == 61
    xml = tmp_path / "big.xml"
    xml.write_bytes(mspdi_bytes(schedule_plan(big)))
    result = read_mspdi(xml)
    assert (
        "not carried through MS Project (too large for its custom text fields): risks"
        in result.skipped
    )
    after = load(result.document).project
    assert after.risks == ()
    assert after.stakeholders == big.stakeholders
    assert [t.id for t in after.tasks] == [t.id for t in before.tasks]


def test_a_large_register_is_carried_compressed(tmp_path: Path) -> None:
    """A risk register longer than the fields hold as plain JSON is carried compressed."""
    risks = [
        {"id": f"r{n}", "title": f"Supplier {n} misses the delivery of part {n} " * 3,
         "probability": 0.1, "impact": {"cost": 1000}}
        for n in range(60)
    ]  # fmt: skip
    path = tmp_path / "big.yaml"
    path.write_text(RELEASE.replace("risks:\n", "risks:\n" + _yaml_list(risks)), encoding="utf-8")
    big = load_plan_file(path).project
    text = mspdi_bytes(schedule_plan(big)).decode()
    assert "<Value>z:" in text
    after = through_mspdi(schedule_plan(big), tmp_path)
    assert after.risks == big.risks


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _yaml_list(items: list[dict[str, Any]]) -> str:
    import json

    return "".join(f"  - {json.dumps(item)}\n" for item in items)
