"""The MSPDI reader on small documents, one MS Project feature at a time."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from techpm.interop.msproject.mspdi_reader import read_mspdi

from .helpers import STANDARD, load, ms_task, mspdi, schedule, task, write


def read(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    result = read_mspdi(write(tmp_path, text))
    load(result.document)  # every document is a valid plan
    return result


def link(pred: int, kind: int = 1, lag: int = 0, fmt: int = 7, extra: str = "") -> str:
    return (
        f"<PredecessorLink><PredecessorUID>{pred}</PredecessorUID><Type>{kind}</Type>"
        f"{extra}<LinkLag>{lag}</LinkLag><LagFormat>{fmt}</LagFormat></PredecessorLink>"
    )


def test_outline_levels_nest_and_blank_rows_and_the_project_task_are_left_out(
    tmp_path: Path,
) -> None:
    tasks = "".join(
        [
            "<Task><UID>0</UID><ID>0</ID><Name>Project</Name><OutlineLevel>0</OutlineLevel></Task>",
            ms_task(1, "Phase", 1),
            ms_task(2, "Design", 2),
            "<Task><UID>9</UID><ID>3</ID><IsNull>1</IsNull></Task>",
            ms_task(3, "Detail", 3),
            ms_task(4, "Build", 2),
            ms_task(5, "Ship", 1, "<Milestone>1</Milestone>", "PT0H0M0S"),
        ]
    )
    document = read(tmp_path, mspdi(tasks)).document
    top = document["tasks"]
    assert [t["id"] for t in top] == ["t1", "t5"]
    assert [c["id"] for c in top[0]["children"]] == ["t2", "t4"]
    assert top[0]["children"][0]["children"][0]["name"] == "Detail"
    assert "duration" not in top[0]
    assert top[1] == {"id": "t5", "name": "Ship", "milestone": True, "refs": {"msproject": 5}}


def test_tasks_are_ordered_by_id_and_outline_number_stands_in_for_the_level(
    tmp_path: Path,
) -> None:
    tasks = (
        "<Task><UID>7</UID><ID>2</ID><Name>Child</Name><OutlineNumber>1.1</OutlineNumber>"
        "<Duration>PT8H0M0S</Duration></Task>"
        "<Task><UID>3</UID><ID>1</ID><Name>Parent</Name><OutlineNumber>1</OutlineNumber></Task>"
    )
    document = read(tmp_path, mspdi(tasks)).document
    assert document["tasks"][0]["id"] == "t3"
    assert document["tasks"][0]["children"][0]["id"] == "t7"


def test_durations_in_the_plans_units(tmp_path: Path) -> None:
    tasks = "".join(
        [
            ms_task(1, "Two days", duration="PT16H0M0S"),
            ms_task(2, "Half a day", duration="PT4H0M0S"),
            ms_task(3, "Odd", duration="PT57H8M24S"),
            ms_task(4, "Day and a half", duration="PT12H0M0S"),
            ms_task(5, "Elapsed", body="<DurationFormat>8</DurationFormat>", duration="PT48H0M0S"),
        ]
    ).replace("<DurationFormat>7</DurationFormat><DurationFormat>8", "<DurationFormat>8")
    result = read(tmp_path, mspdi(tasks))
    durations = [t["duration"] for t in result.document["tasks"]]
    assert durations == ["2d", "4h", "3428m", "1.5d", "2d"]
    assert any("elapsed duration" in s and "Elapsed (UID 5)" in s for s in result.skipped)


def test_links_types_lags_and_what_techpm_links_differently(tmp_path: Path) -> None:
    tasks = "".join(
        [
            ms_task(1, "A", duration="PT40H0M0S"),
            ms_task(2, "B", body=link(1, 0, 4800)),
            ms_task(3, "C", body=link(1, 2, -2400)),
            ms_task(4, "D", body=link(1, 1, 50, 19)),  # 50 % of A's 5 days (MPXJ: whole percent)
            ms_task(5, "E", body=link(1, 1, 14400, 8)),  # one elapsed day
            ms_task(6, "F", body=link(1, 1, 0, 7, "<CrossProject>1</CrossProject>")),
            ms_task(7, "G", body=link(1) + link(1, 3)),
        ]
    )
    result = read(tmp_path, mspdi(tasks))
    after = {t["id"]: t.get("after") for t in result.document["tasks"]}
    assert after["t2"] == [{"task": "t1", "type": "FF", "lag": "1d"}]
    assert after["t3"] == [{"task": "t1", "type": "SF", "lag": "-4h"}]
    assert after["t4"] == [{"task": "t1", "lag": "2.5d"}]
    assert after["t5"] == [{"task": "t1", "lag": "1d"}]
    assert after["t6"] is None
    assert after["t7"] == ["t1"]
    said = " | ".join(result.skipped)
    for words in ("percentage lag", "elapsed lag", "link to another project", "repeated link"):
        assert words in said


def test_a_start_link_from_a_summary_moves_to_its_first_task(tmp_path: Path) -> None:
    late = ms_task(3, "Later", 2).replace("2027-01-04T08", "2027-01-06T08")
    tasks = (
        "".join(
            [
                ms_task(1, "Phase"),
                late,
                ms_task(2, "First", 2),
                ms_task(4, "Next", 1, link(1, 3)),
            ]
        )
        .replace("<ID>3</ID><Name>Later", "<ID>2</ID><Name>Later")
        .replace("<ID>2</ID><Name>First", "<ID>3</ID><Name>First")
    )
    result = read(tmp_path, mspdi(tasks))
    assert task(result.document, "t4")["after"] == [{"task": "t2", "type": "SS"}]
    assert any("1 SS/SF link from a summary task" in s for s in result.skipped)


def test_constraints_deadline_and_alap(tmp_path: Path) -> None:
    def constrained(uid: int, kind: int) -> str:
        body = (
            f"<ConstraintType>{kind}</ConstraintType>"
            "<ConstraintDate>2027-01-06T08:00:00</ConstraintDate>"
        )
        return ms_task(uid, f"T{uid}", body=body)

    deadline = ms_task(9, "Due", body="<Deadline>2027-01-29T17:00:00</Deadline>")
    tasks = "".join(constrained(kind + 1, kind) for kind in range(8)) + deadline
    result = read(tmp_path, mspdi(tasks))
    kinds = {t["id"]: t.get("constraint", {}).get("type") for t in result.document["tasks"]}
    assert kinds == {
        "t1": None,
        "t2": None,
        "t3": "must_start_on",
        "t4": "must_finish_on",
        "t5": "start_no_earlier_than",
        "t6": "start_no_later_than",
        "t7": "finish_no_earlier_than",
        "t8": "finish_no_later_than",
        "t9": None,
    }
    assert task(result.document, "t5")["constraint"]["date"] == datetime(2027, 1, 6, 8)
    assert task(result.document, "t9")["deadline"] == datetime(2027, 1, 29, 17)
    assert any(s.startswith("1 as-late-as-possible task") for s in result.skipped)


def test_progress_cost_priority_notes(tmp_path: Path) -> None:
    body = (
        "<Priority>800</Priority><FixedCost>250.5</FixedCost><FixedCostAccrual>1</FixedCostAccrual>"
        "<PercentComplete>25</PercentComplete><ActualStart>2027-01-04T08:00:00</ActualStart>"
        "<ActualCost>99</ActualCost><RemainingDuration>PT40H0M0S</RemainingDuration>"
        "<Notes>Check the vendor</Notes>"
    )
    done = (
        "<PercentComplete>100</PercentComplete><ActualStart>2027-01-04T08:00:00</ActualStart>"
        "<ActualFinish>2027-01-05T17:00:00</ActualFinish><RemainingDuration>PT0H0M0S</RemainingDuration>"
    )
    tasks = ms_task(1, "Going", body=body, duration="PT32H0M0S") + ms_task(2, "Done", body=done)
    header = "<StatusDate>2027-01-05T17:00:00</StatusDate><CurrencyCode>EUR</CurrencyCode>"
    document = read(tmp_path, mspdi(tasks, header=header)).document
    going = task(document, "t1")
    assert going["percent_complete"] == 25
    assert going["remaining_duration"] == "5d"  # not what 25 % of 4d leaves, so it is kept
    assert (going["fixed_cost"], going["accrue"]) == (250.5, "start")
    assert (going["actual_cost"], going["priority"]) == (99, 800)
    assert going["notes"] == "Check the vendor"
    done_task = task(document, "t2")
    assert done_task["actual_finish"] == datetime(2027, 1, 5, 17)
    assert "remaining_duration" not in done_task
    assert document["project"]["status_date"] == date(2027, 1, 5)
    assert document["project"]["currency"] == "EUR"


def test_calendars_weekdays_base_calendars_and_exceptions(tmp_path: Path) -> None:
    night = (
        "<Calendar><UID>2</UID><Name>Short Fridays</Name><IsBaseCalendar>0</IsBaseCalendar>"
        "<BaseCalendarUID>1</BaseCalendarUID><WeekDays><WeekDay><DayType>6</DayType>"
        "<DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime>"
        "<ToTime>12:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay></WeekDays></Calendar>"
    )
    exceptions = (
        "<Exceptions>"
        "<Exception><TimePeriod><FromDate>2027-01-01T00:00:00</FromDate>"
        "<ToDate>2029-12-31T23:59:00</ToDate></TimePeriod><Name>New year</Name><Type>2</Type>"
        "<Month>0</Month><MonthDay>1</MonthDay><DayWorking>0</DayWorking></Exception>"
        "<Exception><TimePeriod><FromDate>2027-05-24T00:00:00</FromDate>"
        "<ToDate>2027-05-26T23:59:00</ToDate></TimePeriod><Name>Offsite</Name>"
        "<DayWorking>0</DayWorking></Exception>"
        "<Exception><TimePeriod><FromDate>2027-01-09T00:00:00</FromDate>"
        "<ToDate>2027-01-09T23:59:00</ToDate></TimePeriod><DayWorking>1</DayWorking>"
        "<WorkingTimes><WorkingTime><FromTime>09:00:00</FromTime><ToTime>13:00:00</ToTime>"
        "</WorkingTime></WorkingTimes></Exception>"
        "</Exceptions>"
    )
    calendars = STANDARD.format(extra=exceptions) + night
    tasks = ms_task(1, "Work", body="<CalendarUID>2</CalendarUID>")
    document = read(tmp_path, mspdi(tasks, calendars=calendars)).document
    standard = document["calendars"]["standard"]
    assert standard["workweek"] == {
        d: ["08:00-12:00", "13:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")
    }
    assert standard["hours"] == ["09:00-13:00"]
    assert standard["nonworking"] == [
        date(2027, 1, 1),
        {"from": date(2027, 5, 24), "to": date(2027, 5, 26)},
        date(2028, 1, 1),
        date(2029, 1, 1),
    ]
    assert standard["working"] == [date(2027, 1, 9)]
    fridays = document["calendars"]["short-fridays"]
    assert fridays["base"] == "standard"
    # techpm inherits a whole week, MS Project day by day: the week is written out in full
    assert fridays["workweek"]["fri"] == ["08:00-12:00"]
    assert fridays["workweek"]["mon"] == ["08:00-12:00", "13:00-17:00"]
    assert task(document, "t1")["calendar"] == "short-fridays"


def test_work_weeks_become_the_days_they_change(tmp_path: Path) -> None:
    summer = (
        "<WorkWeeks><WorkWeek><TimePeriod><FromDate>2027-07-05T00:00:00</FromDate>"
        "<ToDate>2027-07-16T23:59:00</ToDate></TimePeriod><Name>Summer</Name><WeekDays>"
        "<WeekDay><DayType>6</DayType><DayWorking>0</DayWorking></WeekDay>"
        "</WeekDays></WorkWeek></WorkWeeks>"
    )
    document = read(
        tmp_path, mspdi(ms_task(1, "A"), calendars=STANDARD.format(extra=summer))
    ).document
    assert document["calendars"]["standard"]["nonworking"] == [date(2027, 7, 9), date(2027, 7, 16)]


def test_resources_kinds_rates_and_assignments(tmp_path: Path) -> None:
    resources = (
        "<Resource><UID>0</UID><ID>0</ID><Type>1</Type></Resource>"
        "<Resource><UID>1</UID><ID>1</ID><Name>Zoë Müller</Name><Type>1</Type>"
        "<MaxUnits>1</MaxUnits>"
        "<StandardRate>100</StandardRate><StandardRateFormat>3</StandardRateFormat>"
        "<EmailAddress>zoe@example.org</EmailAddress></Resource>"
        "<Resource><UID>2</UID><ID>2</ID><Name>Testers</Name><Type>1</Type><MaxUnits>3</MaxUnits>"
        "</Resource>"
        "<Resource><UID>3</UID><ID>3</ID><Name>Cable</Name><Type>0</Type></Resource>"
        "<Resource><UID>4</UID><ID>4</ID><Name>Travel</Name><Type>1</Type>"
        "<IsCostResource>1</IsCostResource></Resource>"
        "<Resource><UID>5</UID><ID>5</ID><IsNull>1</IsNull></Resource>"
    )

    def assignment(uid: int, resource: int, units: str, cost: str = "0") -> str:
        return (
            f"<Assignment><UID>{uid}</UID><TaskUID>1</TaskUID><ResourceUID>{resource}</ResourceUID>"
            f"<Cost>{cost}</Cost><Units>{units}</Units></Assignment>"
        )

    assignments = "".join(
        [
            assignment(1, 1, "1.5"),
            assignment(2, 2, "2"),
            assignment(3, 3, "40", "120"),
            assignment(4, 4, "1", "80"),
            assignment(5, -65535, "1"),
        ]
    )
    result = read(
        tmp_path, mspdi(ms_task(1, "Install"), resources=resources, assignments=assignments)
    )
    document = result.document
    assert [r["id"] for r in document["resources"]] == ["zoe-muller", "testers", "cable", "travel"]
    zoe = document["resources"][0]
    assert (zoe["rate"], zoe["email"], zoe["refs"]) == (
        "800/d",
        "zoe@example.org",
        {"msproject": 1},
    )
    assert document["resources"][1]["capacity"] == 3
    assert document["resources"][2]["tags"] == ["material"]
    assert document["resources"][3]["tags"] == ["cost"]
    install = task(document, "t1")
    assert install["assign"] == [{"resource": "zoe-muller"}, {"resource": "testers", "units": 2}]
    assert install["fixed_cost"] == 200
    said = " | ".join(result.skipped)
    assert "max units" in said
    assert "material or cost assignments" in said


def test_a_task_on_its_resources_calendar(tmp_path: Path) -> None:
    """MS Project works an assignment on the resource's calendar; techpm on the task's."""
    late = (
        "<Calendar><UID>2</UID><Name>Late</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays>"
        + "".join(
            f"<WeekDay><DayType>{d}</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>"
            "<FromTime>12:00:00</FromTime><ToTime>20:00:00</ToTime></WorkingTime></WorkingTimes>"
            "</WeekDay>"
            for d in range(2, 7)
        )
        + "</WeekDays></Calendar>"
    )
    resources = "<Resource><UID>1</UID><Name>Kai</Name><CalendarUID>2</CalendarUID></Resource>"
    assignments = (
        "<Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>"
        "<Units>1</Units></Assignment>"
    )
    text = mspdi(
        ms_task(1, "Evening"),
        calendars=STANDARD.format(extra="") + late,
        resources=resources,
        assignments=assignments,
    )
    result = read(tmp_path, text)
    assert task(result.document, "t1")["calendar"] == "late"
    row = schedule(result.document).rows[0]
    assert row.finish == datetime(2027, 1, 4, 20)


def test_project_fields(tmp_path: Path) -> None:
    header = "<Manager>Ada</Manager><Subject>Move the data centre</Subject>"
    info = read(tmp_path, mspdi(ms_task(1, "A"), header=header)).document["project"]
    assert info == {
        "name": "Test",
        "start": date(2027, 1, 4),
        "calendar": "standard",
        "manager": "Ada",
        "description": "Move the data centre",
    }


def test_a_file_without_calendars_gets_ms_projects_standard(tmp_path: Path) -> None:
    document = read(tmp_path, mspdi(ms_task(1, "A"), calendars="")).document
    assert document["calendars"] == {
        "standard": {
            "workweek": ["mon", "tue", "wed", "thu", "fri"],
            "hours": ["08:00-12:00", "13:00-17:00"],
        }
    }
