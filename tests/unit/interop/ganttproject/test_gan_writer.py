"""Writing .gan files: what GanttProject 3 expects to find, and reading the file back gives
the plan that was written."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeElementTree
import pytest

from techpm.interop.ganttproject import read_gan, write_gan
from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.loader import load_plan_document
from techpm.services.planning import schedule_plan

from .support import GAN_SAMPLES, REPO, by_id, needs_samples, validate

PLAN = """
project: {name: Checkout, start: 2027-01-04}
calendars:
  standard: {workweek: [mon, tue, wed, thu, fri], hours_per_day: 8, holidays: {country: US},
             nonworking: [2027-01-08]}
resources:
  - {id: alice, name: Alice, rate: 95/h, email: alice@example.com, tags: [backend],
     vacations: [[2027-02-01, 2027-02-05]]}
  - {id: bob, name: Bob, rate: 700/d}
tasks:
  - id: design
    name: Design
    children:
      - {id: api, name: API design, duration: 3d, assign: [{resource: alice, units: 0.5}],
         owner: Alice, percent_complete: 40, priority: 900}
      - {id: ux, name: UX flows, duration: 4h, notes: "Sketches & <flows>"}
  - {id: build, name: Build, duration: 2w, after: [api, {task: ux, type: SS, lag: 2d}],
     assign: [{resource: bob}], constraint: {type: start_no_earlier_than, date: 2027-01-20}}
  - {id: launch, name: Launch, milestone: true, after: [build]}
"""


def plan_schedule() -> Any:
    project = load_plan_document(YamlDocument("plan.yaml", PLAN)).project
    return schedule_plan(project)


@needs_samples
@pytest.mark.parametrize("path", GAN_SAMPLES, ids=lambda p: p.name)
def test_import_export_import_gives_the_same_plan(path: Path, tmp_path: Path) -> None:
    first = read_gan(path)
    schedule = schedule_plan(validate(first.document))
    written = tmp_path / path.name
    write_gan(schedule, written)
    second = read_gan(written)
    assert second.document == first.document
    validate(second.document)


def test_the_file_has_the_parts_ganttproject_writes(tmp_path: Path) -> None:
    path = tmp_path / "plan.gan"
    write_gan(plan_schedule(), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<project ')
    root = SafeElementTree.fromstring(text.encode("utf-8"))
    assert [child.tag for child in root] == [
        "description",
        "view",
        "view",
        "calendars",
        "tasks",
        "resources",
        "allocations",
        "vacations",
        "previous",
        "roles",
        "roles",
    ]
    assert root.get("name") == "Checkout"
    assert len(root.findall("tasks/taskproperties/taskproperty")) == 10


def test_days_links_constraints_and_rates_in_ganttproject_terms(tmp_path: Path) -> None:
    path = tmp_path / "plan.gan"
    write_gan(plan_schedule(), path)
    root = SafeElementTree.parse(path).getroot()
    tasks = {t.get("name"): t for t in root.iter("task")}
    assert tasks["UX flows"].get("duration") == "1"  # 4h is part of one day
    assert tasks["Build"].get("duration") == "10"
    assert tasks["Build"].get("thirdDate") == "2027-01-20"
    assert tasks["Build"].get("thirdDate-constraint") == "1"
    assert tasks["Launch"].get("meeting") == "true"
    assert tasks["API design"].get("complete") == "40"
    assert tasks["API design"].get("priority") == "4"  # highest
    assert tasks["UX flows"].findtext("notes") == "Sketches & <flows>"
    ux_links = {d.get("id"): d.attrib for d in tasks["UX flows"].findall("depend")}
    build_id = tasks["Build"].get("id")
    assert ux_links[build_id] == {
        "id": build_id,
        "type": "1",
        "difference": "2",
        "hardness": "Strong",
    }
    rates = {r.get("name"): r.find("rate") for r in root.iter("resource")}
    assert rates["Alice"] is not None
    assert rates["Alice"].get("value") == "760"
    assert rates["Bob"] is not None
    assert rates["Bob"].get("value") == "700"
    loads = [(a.get("load"), a.get("responsible")) for a in root.iter("allocation")]
    assert ("50.0", "true") in loads
    holidays = {
        date(int(d.get("year", "0")), int(d.get("month", "0")), int(d.get("date", "0")))
        for d in root.iter("date")
    }
    assert date(2027, 1, 8) in holidays  # company day off
    assert date(2027, 1, 18) in holidays  # Martin Luther King Jr. Day, from the US rule


def test_a_techpm_plan_survives_the_trip_through_a_gan_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.gan"
    schedule = plan_schedule()
    write_gan(schedule, path)
    back = read_gan(path)
    tasks = by_id(back.document)
    names = {t["name"]: t for t in tasks.values()}
    assert names["Build"]["after"][1]["type"] == "SS"
    assert names["Build"]["constraint"]["date"] == date(2027, 1, 20)
    assert names["Launch"]["milestone"] is True
    resources = {r["name"]: r for r in back.document["resources"]}
    assert resources["Alice"]["email"] == "alice@example.com"
    assert resources["Alice"]["tags"] == ["backend"]
    assert resources["Alice"]["vacations"] == [{"from": date(2027, 2, 1), "to": date(2027, 2, 5)}]
    again = schedule_plan(validate(back.document))
    assert again.row(names["Launch"]["id"]).finish == schedule.row("launch").finish


@pytest.mark.parametrize("name", ["cloud-migration.yaml", "mobile-app-launch.yaml"])
def test_the_example_plans_finish_on_the_same_day_after_a_gan_round_trip(
    name: str, tmp_path: Path
) -> None:
    schedule = schedule_plan(REPO / "examples" / name)
    path = tmp_path / "plan.gan"
    write_gan(schedule, path)
    back = read_gan(path)
    again = schedule_plan(validate(back.document))
    assert again.finish == schedule.finish
    assert len(again.problem.project.tasks) == len(schedule.problem.project.tasks)


def test_earliest_starts_on_summaries_and_days_off_come_back_as_written(tmp_path: Path) -> None:
    text = """
project: {name: P, start: 2027-01-04}
tasks:
  - id: phase
    name: Phase
    constraint: {type: start_no_earlier_than, date: 2027-01-09}
    children:
      - {id: work, name: Work, duration: 2d}
  - id: other
    name: Other
    duration: 1d
    constraint: {type: start_no_earlier_than, date: 2027-01-16}
"""
    schedule = schedule_plan(load_plan_document(YamlDocument("p.yaml", text)).project)
    path = tmp_path / "p.gan"
    write_gan(schedule, path)
    tasks = {t["name"]: t for t in by_id(read_gan(path).document).values()}
    saturday = {"type": "start_no_earlier_than", "date": date(2027, 1, 9)}
    assert tasks["Phase"]["constraint"] == saturday
    assert "constraint" not in tasks["Work"]  # its summary holds it
    assert tasks["Other"]["constraint"] == {
        "type": "start_no_earlier_than",
        "date": date(2027, 1, 16),
    }
