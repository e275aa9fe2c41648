"""Real MS Project files: every one imports into a valid plan with the counts of
COUNTS.tsv (an independent reader's), and says what it could not carry."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from techpm.interop.msproject.mpp import read_mpp
from techpm.interop.msproject.mspdi_reader import read_mspdi

from .helpers import (
    MPP_SAMPLES,
    MSPDI_SAMPLES,
    SAMPLES,
    counts,
    load,
    needs_samples,
    require_mpxj,
    schedule,
    task,
)

pytestmark = needs_samples


def expected() -> list[tuple[str, dict[str, int]]]:
    if not SAMPLES.is_dir():
        return []
    with (SAMPLES / "COUNTS.tsv").open(encoding="utf-8") as stream:
        rows = [
            r for r in csv.DictReader(stream, delimiter="\t") if r["format"] in ("mspdi", "mpp")
        ]
    columns = ("tasks", "summary_tasks", "milestones", "resources", "dependencies", "assignments")
    return [(r["file"], {c: int(r[c]) for c in columns if r[c].strip()}) for r in rows]


def read(path: Path):  # type: ignore[no-untyped-def]
    if path.suffix == ".mpp":
        require_mpxj()
        return read_mpp(path)
    return read_mspdi(path)


@pytest.mark.parametrize(("name", "wanted"), expected(), ids=lambda v: str(v))
def test_counts_match_counts_tsv(name: str, wanted: dict[str, int]) -> None:
    document = read(SAMPLES / name).document
    assert {k: counts(document)[k] for k in wanted} == wanted


@pytest.mark.parametrize(
    "path", MSPDI_SAMPLES + MPP_SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_every_sample_is_a_valid_plan_with_reference_dates(path: Path) -> None:
    result = read(path)
    loaded = load(result.document)
    assert result.format == ("mpp" if path.suffix == ".mpp" else "mspdi")
    ids = {t.id for t in loaded.project.tasks}
    assert set(result.reference_dates) == ids
    for start, finish in result.reference_dates.values():
        assert start <= finish


def test_sample_outline_links_and_notes() -> None:
    result = read_mspdi(SAMPLES / "mspdi" / "sample.xml")
    document = result.document
    assert document["project"] == {
        "name": "sample",
        "start": document["project"]["start"],
        "calendar": "standard",
        "currency": "GBP",
    }
    first = task(document, "t1")
    assert [c["id"] for c in first["children"]] == ["t2", "t3"]
    assert first["notes"] == "Test Task Notes"
    assert first["refs"] == {"msproject": 1}
    assert task(document, "t3")["milestone"] is True
    assert task(document, "t12")["after"] == [{"task": "t11", "lag": "1d"}]
    assert task(document, "t14")["after"] == [{"task": "t13", "lag": "-1d"}]
    assert task(document, "t16")["after"] == [{"task": "t15", "type": "SS"}]
    assert task(document, "t18")["after"] == [{"task": "t17", "type": "FF"}]
    assert task(document, "t21")["after"] == [{"task": "t20", "type": "SF"}]
    assert task(document, "t7")["constraint"]["type"] == "start_no_earlier_than"
    assert task(document, "t7")["priority"] == 1000
    assert task(document, "t2")["assign"] == [
        {"resource": "first-resource", "units": 0.5},
        {"resource": "second-resource", "units": 0.75},
    ]
    assert document["calendars"]["night-shift"]["workweek"]["mon"] == ["23:00-24:00"]
    second = next(r for r in document["resources"] if r["id"] == "second-resource")
    assert second == {
        "id": "second-resource",
        "name": "Second Resource",
        "calendar": "night-shift",
        "rate": "5/h",
        "refs": {"msproject": 2},
    }
    assert result.reference_dates["t10"] == ("2003-01-08T08:00:00", "2003-01-08T17:00:00")


def test_what_is_not_carried_is_said() -> None:
    split = read_mspdi(SAMPLES / "mspdi" / "mspdisplittask.xml").skipped
    assert any("2 split tasks" in s and "3 pieces" in s for s in split)
    manual = read_mspdi(SAMPLES / "mspdi" / "task-links-project2016-mspdi.xml").skipped
    assert any(s.startswith("16 manually scheduled tasks") for s in manual)
    resource = read_mspdi(SAMPLES / "mspdi" / "mspdiresource.xml")
    assert any("material resource" in s and "Concrete" in s for s in resource.skipped)
    assert any("work contour" in s for s in resource.skipped)
    concrete = next(r for r in resource.document["resources"] if r["id"] == "concrete")
    assert concrete["kind"] == "equipment"
    assert concrete["tags"] == ["material"]
    rates = read_mspdi(SAMPLES / "mspdi" / "mspdicostratetable.xml")
    assert any("cost rate tables B to E" in s for s in rates.skipped)
    three = next(r for r in rates.document["resources"] if r["id"] == "resource-three")
    assert three["rate"] == "5/h"
    assert three["rates"][0]["rate"] == "1200/h"


def test_old_style_calendar_exceptions() -> None:
    document = read_mspdi(SAMPLES / "mspdi" / "caltest.xml").document
    three = document["calendars"]["resource-three"]
    assert three["base"] == "base-calendar"
    assert [str(d["from"]) + ".." + str(d["to"]) for d in three["nonworking"]] == [
        "2005-11-01..2005-11-04",
        "2005-11-21..2005-11-25",
    ]
    # resource calendars with nothing of their own are their base calendar
    one = next(r for r in document["resources"] if r["id"] == "resource-one")
    assert "calendar" not in one


def test_baselines_in_techpm_snapshot_shape() -> None:
    result = read_mspdi(SAMPLES / "mspdi" / "baselines.xml")
    assert list(result.baselines) == [f"msproject-{n}" for n in range(1, 11)]
    third = result.baselines["msproject-3"]
    assert third["name"] == "msproject-3"
    assert third["tasks"]["t1"] == {
        "start": "2001-01-03T09:00:00",
        "finish": "2000-01-03T17:30:00",
        "duration_days": round(22.5 * 60 / 480, 4),
        "work_hours": 3.0,
        "cost": "300",
        "milestone": False,
        "finished": False,
    }
    assert third["project"]["bac"] == "300.00"
    assert set(third) == {"name", "taken_at", "project", "tasks", "risks"}


def test_techpm_reproduces_most_stored_finish_dates() -> None:
    """The rest differ for reasons docs/interop/msproject.md gives (split tasks, the MS
    Project file's own inconsistent duration, a day's end written as the next morning)."""
    for name, least in (("mspdirelations.xml", 4), ("task-links-project2016-mspdi.xml", 16)):
        result = read_mspdi(SAMPLES / "mspdi" / name)
        rows = {r.id: r for r in schedule(result.document).rows}
        same = sum(
            1
            for tid, (_, finish) in result.reference_dates.items()
            if rows[tid].finish.date().isoformat() == finish[:10]
        )
        assert same >= least, name
