"""iCalendar export, parsed back with `icalendar`: events, all-day dates and stable UIDs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from icalendar import Calendar, Event, vCategory

from techpm.interop.ical import MILESTONES_FILE, calendars_for, write_ics
from techpm.scheduling.result import Schedule
from techpm.services.planning import schedule_plan

STAMP = datetime(2027, 1, 3, 12, 0, tzinfo=UTC)
DOMAIN = "checkout-rewrite-2.techpm"


def events(data: bytes) -> dict[str, Event]:
    calendar = Calendar.from_ical(data)
    assert str(calendar["version"]) == "2.0"
    assert "techpm" in str(calendar["prodid"])
    found = {}
    for event in calendar.walk("VEVENT"):
        assert isinstance(event, Event)
        found[str(event["uid"])] = event
    assert len(found) == len(calendar.walk("VEVENT")), "UIDs repeat"
    return found


def categories(event: Event) -> list[str]:
    value = event["categories"]
    assert isinstance(value, vCategory)
    return [str(c) for c in value.cats]


def day(event: Event, key: str) -> date:
    value = event.decoded(key)
    assert type(value) is date  # all-day, not a date-time
    return value


def test_milestones_and_assignments(rich: Schedule, tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    write_ics(rich, path, stamp=STAMP)
    found = events(path.read_bytes())
    assert set(found) == {
        f"launch@{DOMAIN}",
        f"api+alice@{DOMAIN}",
        f"ux+bob@{DOMAIN}",
        f"a.b/c+alice@{DOMAIN}",
        f"a.b/c+qa@{DOMAIN}",
    }
    launch = found[f"launch@{DOMAIN}"]
    assert str(launch["summary"]) == "Launch"
    on = rich.row("launch").finish.date()
    assert (day(launch, "dtstart"), day(launch, "dtend")) == (on, date(2027, 1, 16))
    assert launch.decoded("dtstamp") == STAMP
    assert categories(launch) == ["milestone", "critical"]
    build = found[f"a.b/c+qa@{DOMAIN}"]
    row = rich.row("a.b/c")
    assert day(build, "dtstart") == row.start.date()
    assert day(build, "dtend") == date(2027, 1, 15)  # the day after the last day worked
    description = str(build["description"])
    assert "WBS 3 (a.b/c)" in description
    assert "Total float: 0d" in description
    assert "Critical: yes" in description
    assert "Assigned: Alice Martin (1), QA pool (2)" in description
    assert categories(build) == ["task", "critical"]
    api = found[f"api+alice@{DOMAIN}"]
    assert categories(api) == ["task", "backend", "api"]
    assert "Complete: 100%" in str(api["description"])


def test_uids_are_stable_across_exports(rich: Schedule, tmp_path: Path) -> None:
    first, second, third = (tmp_path / name for name in ("1.ics", "2.ics", "3.ics"))
    write_ics(rich, first, stamp=STAMP)
    write_ics(rich, second, stamp=datetime(2027, 2, 1, tzinfo=UTC))
    write_ics(rich, third, stamp=STAMP)
    assert set(events(first.read_bytes())) == set(events(second.read_bytes()))
    assert first.read_bytes() == third.read_bytes()
    rescheduled = events(second.read_bytes())
    assert rescheduled[f"launch@{DOMAIN}"].decoded("dtstamp") == datetime(2027, 2, 1, tzinfo=UTC)


def test_one_calendar_per_person(rich: Schedule, tmp_path: Path) -> None:
    files = calendars_for(rich, stamp=STAMP)
    assert set(files) == {MILESTONES_FILE, "alice.ics", "bob.ics", "qa.ics"}
    assert set(events(files[MILESTONES_FILE])) == {f"launch@{DOMAIN}"}
    assert set(events(files["alice.ics"])) == {f"api+alice@{DOMAIN}", f"a.b/c+alice@{DOMAIN}"}
    assert set(events(files["bob.ics"])) == {f"ux+bob@{DOMAIN}"}
    name = Calendar.from_ical(files["alice.ics"])["x-wr-calname"]
    assert str(name) == "Checkout: rewrite #2: Alice Martin"
    path = tmp_path / "all.ics"
    write_ics(rich, path, stamp=STAMP)
    together: set[str] = set()
    for data in files.values():
        together |= set(events(data))
    assert together == set(events(path.read_bytes()))


def test_file_names_stay_files(tmp_path: Path) -> None:
    plan = tmp_path / "names.yaml"
    plan.write_text(
        "project: {name: Names, start: 2027-01-04}\n"
        "resources:\n"
        "  - {id: milestones, name: Team called milestones}\n"
        "  - {id: ops/night, name: Night shift}\n"
        "tasks:\n"
        "  - {id: a, name: A, duration: 1d, assign: [{resource: milestones}]}\n"
        "  - {id: b, name: B, duration: 1d, assign: [{resource: ops/night}]}\n"
        "  - {id: m, name: M, milestone: true, after: [a, b]}\n",
        encoding="utf-8",
    )
    files = calendars_for(schedule_plan(plan), stamp=STAMP)
    assert set(files) == {"milestones.ics", "milestones-2.ics", "ops_night.ics"}
    assert set(events(files["ops_night.ics"])) == {"b+ops/night@names.techpm"}
