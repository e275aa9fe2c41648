"""Import, export, import again: the same plan, refs included; and UIDs that do not move
from one export to the next."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from techpm.interop.msproject.mpp import read_mpp
from techpm.interop.msproject.mspdi_reader import read_mspdi
from techpm.interop.msproject.mspdi_writer import mspdi_bytes, write_mspdi

from .helpers import (
    MPP_SAMPLES,
    MSPDI_SAMPLES,
    SAMPLES,
    load,
    needs_samples,
    require_mpxj,
    schedule,
    walk,
)


def same_plan(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """The plans two documents load to are equal (a carried calendar may be spelled
    differently: a list of weekdays or weekday -> hours)."""
    return load(one).project == load(other).project


def again(  # type: ignore[no-untyped-def]
    document: dict[str, Any],
    tmp_path: Path,
    baseline: dict[str, Any] | None = None,
    *,
    carried: bool = True,
):
    """Export and import. Without `carried`, the file is read as another tool's would be:
    only what MSPDI's own fields hold, not the data techpm carries in custom fields."""
    path = tmp_path / "again.xml"
    data = mspdi_bytes(schedule(document), baseline)
    if not carried:
        data = re.sub(rb"<ExtendedAttributes>.*?</ExtendedAttributes>", b"", data, flags=re.S)
    path.write_bytes(data)
    return read_mspdi(path)


@needs_samples
@pytest.mark.parametrize("path", MSPDI_SAMPLES, ids=lambda p: p.name)
def test_every_mspdi_sample_round_trips(path: Path, tmp_path: Path) -> None:
    first = read_mspdi(path)
    second = again(first.document, tmp_path)
    assert same_plan(second.document, first.document)


@needs_samples
@pytest.mark.parametrize("path", MPP_SAMPLES, ids=lambda p: p.name)
def test_every_mpp_sample_round_trips_through_mspdi(path: Path, tmp_path: Path) -> None:
    require_mpxj()
    first = read_mpp(path)
    assert same_plan(again(first.document, tmp_path).document, first.document)


@needs_samples
@pytest.mark.parametrize("path", MSPDI_SAMPLES, ids=lambda p: p.name)
def test_mpxj_reads_the_export_as_techpm_wrote_it(path: Path, tmp_path: Path) -> None:
    """MPXJ, which ProjectLibre opens MSPDI with, reads the export and writes it back as
    MSPDI; techpm reads that into the very plan it started from."""
    require_mpxj()
    first = read_mspdi(path)
    exported = tmp_path / "exported.xml"
    exported.write_bytes(mspdi_bytes(schedule(first.document)))
    assert same_plan(read_mpp(exported).document, first.document)


@needs_samples
def test_exports_are_byte_for_byte_stable(tmp_path: Path) -> None:
    document = read_mspdi(SAMPLES / "mspdi" / "sample.xml").document
    one, two = tmp_path / "one.xml", tmp_path / "two.xml"
    write_mspdi(schedule(document), one)
    write_mspdi(schedule(document), two)
    assert one.read_bytes() == two.read_bytes()


@needs_samples
def test_a_baseline_is_written_as_baseline_zero(tmp_path: Path) -> None:
    first = read_mspdi(SAMPLES / "mspdi" / "baselines.xml")
    saved = first.baselines["msproject-4"]
    second = again(first.document, tmp_path, baseline=saved)
    assert list(second.baselines) == ["msproject-0"]
    assert second.baselines["msproject-0"]["tasks"] == saved["tasks"]


PLAN: dict[str, Any] = {
    "project": {"name": "Checkout", "start": "2027-01-04", "currency": "EUR"},
    "calendars": {"standard": {"workweek": ["mon", "tue", "wed", "thu", "fri"]}},
    "resources": [{"id": "alice", "name": "Alice", "rate": "760/d"}],
    "tasks": [
        {
            "id": "design",
            "name": "Design",
            "children": [
                {"id": "api", "name": "API", "duration": "3d", "assign": [{"resource": "alice"}]},
                {"id": "ux", "name": "UX", "duration": "5d"},
            ],
        },
        {"id": "build", "name": "Build", "duration": "2w", "after": ["api", "ux"]},
        {"id": "launch", "name": "Launch", "milestone": True, "after": ["build"]},
    ],
}


def uids(data: bytes) -> dict[str, str]:
    """Task name -> UID in an exported file."""
    text = data.decode()
    out = {}
    for chunk in text.split("<Task>")[1:]:
        uid = chunk.split("<UID>")[1].split("</UID>")[0]
        name = chunk.split("<Name>")[1].split("</Name>")[0]
        out[name] = uid
    return out


def test_uids_come_from_refs_else_from_the_id_not_the_position() -> None:
    before = uids(mspdi_bytes(schedule(PLAN)))
    moved = dict(PLAN, tasks=[PLAN["tasks"][1], PLAN["tasks"][0], PLAN["tasks"][2]])
    moved["tasks"][0] = dict(moved["tasks"][0], after=[])
    grown = dict(PLAN, tasks=[*PLAN["tasks"], {"id": "docs", "name": "Docs", "duration": "1d"}])
    assert uids(mspdi_bytes(schedule(moved))) == before
    assert {k: v for k, v in uids(mspdi_bytes(schedule(grown))).items() if k != "Docs"} == before
    build = dict(PLAN["tasks"][1], refs={"msproject": 42})
    kept = dict(PLAN, tasks=[PLAN["tasks"][0], build, PLAN["tasks"][2]])
    assert uids(mspdi_bytes(schedule(kept)))["Build"] == "42"
    assert before["Checkout"] == "0"  # the project summary task


def test_a_techpm_plan_exported_and_read_back_keeps_its_shape(tmp_path: Path) -> None:
    result = again(PLAN, tmp_path)
    document = result.document
    assert document["project"]["name"] == "Checkout"
    assert document["project"]["currency"] == "EUR"
    names = [t["name"] for t in walk(document["tasks"])]
    assert names == ["Design", "API", "UX", "Build", "Launch"]
    by_name = {t["name"]: t for t in walk(document["tasks"])}
    assert by_name["Build"]["duration"] == "10d"
    assert by_name["Build"]["after"] == [by_name["API"]["id"], by_name["UX"]["id"]]
    assert by_name["Launch"]["milestone"] is True
    assert document["resources"][0]["rate"] == "760/d"
    assert by_name["API"]["assign"] == [{"resource": "alice"}]
    # the dates MS Project would show are techpm's own schedule
    rows = {r.name: r for r in schedule(PLAN).rows}
    assert result.reference_dates[by_name["Build"]["id"]][1] == rows["Build"].finish.isoformat()


def test_dates_in_the_plan_become_ms_project_moments(tmp_path: Path) -> None:
    plan = dict(
        PLAN,
        tasks=[
            {
                "id": "a",
                "name": "A",
                "duration": "2d",
                "constraint": {"type": "finish_no_later_than", "date": "2027-01-15"},
                "deadline": "2027-01-20",
            },
            {
                "id": "b",
                "name": "B",
                "duration": "1d",
                "constraint": {"type": "start_no_earlier_than", "date": "2027-01-06"},
            },
        ],
    )
    assert again(plan, tmp_path).document["tasks"][0]["deadline"] == date(2027, 1, 20)  # carried
    document = again(plan, tmp_path, carried=False).document
    a = next(t for t in document["tasks"] if t["name"] == "A")
    b = next(t for t in document["tasks"] if t["name"] == "B")
    assert a["constraint"] == {"type": "finish_no_later_than", "date": datetime(2027, 1, 15, 17)}
    assert a["deadline"] == datetime(2027, 1, 20, 17)
    assert b["constraint"] == {"type": "start_no_earlier_than", "date": datetime(2027, 1, 6)}


def test_public_holidays_are_listed_for_the_schedule_span(tmp_path: Path) -> None:
    plan = dict(
        PLAN,
        calendars={
            "standard": {
                "workweek": ["mon", "tue", "wed", "thu", "fri"],
                "holidays": {"country": "US"},
            }
        },
        resources=[],
        tasks=[{"id": "long", "name": "Long", "duration": "60d"}],
    )
    carried = again(plan, tmp_path).document
    assert carried["calendars"]["standard"]["holidays"] == [{"country": "US"}]
    document = again(plan, tmp_path, carried=False).document  # the days MS Project sees
    off = document["calendars"]["standard"]["nonworking"]
    assert datetime(2027, 1, 18).date() in off  # Martin Luther King Jr. Day
    assert datetime(2027, 2, 15).date() in off  # Presidents' Day
    first = schedule(plan).rows[0].finish
    assert schedule(document).rows[0].finish == first


def test_progress_and_costs_survive(tmp_path: Path) -> None:
    plan = dict(
        PLAN,
        project=dict(PLAN["project"], status_date="2027-01-06"),
        tasks=[
            {
                "id": "a",
                "name": "A",
                "duration": "4d",
                "actual_start": "2027-01-04T09:00:00",
                "percent_complete": 50,
                "remaining_duration": "3d",
                "actual_cost": 1200,
                "fixed_cost": 500,
                "accrue": "end",
                "priority": 900,
                "notes": "Ordered",
            }
        ],
    )
    assert again(plan, tmp_path).document["tasks"][0]["actual_start"] == datetime(2027, 1, 4, 9)
    a = again(plan, tmp_path, carried=False).document["tasks"][0]
    assert a["actual_start"] == datetime(2027, 1, 4, 9)
    assert a["percent_complete"] == 50
    assert a["remaining_duration"] == "3d"
    assert a["actual_cost"] == 1200
    assert (a["fixed_cost"], a["accrue"], a["priority"], a["notes"]) == (500, "end", 900, "Ordered")


def test_what_ms_project_holds_elsewhere(tmp_path: Path) -> None:
    """Vacations go on the resource's calendar, a summary's calendar on each of its tasks
    (MS Project passes none down the outline), the owner into Contact."""
    plan = dict(
        PLAN,
        calendars={
            "standard": {"workweek": ["mon", "tue", "wed", "thu", "fri"]},
            "night": {"workweek": ["mon", "tue", "wed", "thu", "fri"], "hours": ["22:00-24:00"]},
        },
        resources=[{"id": "bo", "name": "Bo", "vacations": [["2027-01-05", "2027-01-06"]]}],
        tasks=[
            {
                "id": "shift",
                "name": "Shift",
                "calendar": "night",
                "children": [
                    {"id": "x", "name": "X", "duration": "1d", "owner": "Bo", "tags": ["inactive"]},
                ],
            },
            {"id": "y", "name": "Y", "duration": "3d", "assign": [{"resource": "bo"}]},
        ],
    )
    result = again(plan, tmp_path, carried=False)
    document = result.document
    shift = document["tasks"][0]
    assert "calendar" not in shift
    x = shift["children"][0]
    assert (x["calendar"], x["owner"], x["tags"]) == ("night", "Bo", ["inactive"])
    bo = document["resources"][0]
    assert document["calendars"][bo["calendar"]]["nonworking"] == [
        {"from": datetime(2027, 1, 5).date(), "to": datetime(2027, 1, 6).date()}
    ]
    before = {r.name: r.finish for r in schedule(plan).rows}
    after = {r.name: r.finish for r in schedule(document).rows}
    assert after["X"] == before["X"]
    # as in MS Project, Bo's task now works around Bo's days away (techpm itself leaves
    # vacations to leveling)
    assert (before["Y"], after["Y"]) == (datetime(2027, 1, 6, 17), datetime(2027, 1, 8, 17))
