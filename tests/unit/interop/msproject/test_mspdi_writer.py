"""The exported XML parses and keeps the MSPDI schema's element order (mspdi_pj12.xsd is a
sequence: MS Project rejects elements out of order)."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET

from techpm.interop.msproject.mspdi_writer import mspdi_bytes

from .helpers import schedule

NS = "{http://schemas.microsoft.com/project}"

# The sequences of mspdi_pj12.xsd (Project 2007 XML Data Interchange Schema)
PROJECT = """SaveVersion UID Name Title Subject Category Company Manager Author CreationDate
Revision LastSaved ScheduleFromStart StartDate FinishDate FYStartDate CriticalSlackLimit
CurrencyDigits CurrencySymbol CurrencyCode CurrencySymbolPosition CalendarUID DefaultStartTime
DefaultFinishTime MinutesPerDay MinutesPerWeek DaysPerMonth DefaultTaskType
DefaultFixedCostAccrual DefaultStandardRate DefaultOvertimeRate DurationFormat WorkFormat
EditableActualCosts HonorConstraints EarnedValueMethod InsertedProjectsLikeSummary
MultipleCriticalPaths NewTasksEffortDriven NewTasksEstimated SplitsInProgressTasks
SpreadActualCost SpreadPercentComplete TaskUpdatesResource FiscalYearStart WeekStartDay
MoveCompletedEndsBack MoveRemainingStartsBack MoveRemainingStartsForward MoveCompletedEndsForward
BaselineForEarnedValue AutoAddNewResourcesAndTasks StatusDate CurrentDate
MicrosoftProjectServerURL Autolink NewTaskStartDate DefaultTaskEVMethod ProjectExternallyEdited
ExtendedCreationDate ActualsInSync RemoveFileProperties AdminProject OutlineCodes WBSMasks
ExtendedAttributes Calendars Tasks Resources Assignments"""
TASK = """UID ID Name Type IsNull CreateDate Contact WBS WBSLevel OutlineNumber OutlineLevel
Priority Start Finish Duration DurationFormat Work Stop Resume ResumeValid EffortDriven Recurring
OverAllocated Estimated Milestone Summary Critical IsSubproject IsSubprojectReadOnly
SubprojectName ExternalTask ExternalTaskProject EarlyStart EarlyFinish LateStart LateFinish
StartVariance FinishVariance WorkVariance FreeSlack TotalSlack FixedCost FixedCostAccrual
PercentComplete PercentWorkComplete Cost OvertimeCost OvertimeWork ActualStart ActualFinish
ActualDuration ActualCost ActualOvertimeCost ActualWork ActualOvertimeWork RegularWork
RemainingDuration RemainingCost RemainingWork RemainingOvertimeCost RemainingOvertimeWork ACWP CV
ConstraintType CalendarUID ConstraintDate Deadline LevelAssignments LevelingCanSplit
LevelingDelay LevelingDelayFormat PreLeveledStart PreLeveledFinish Hyperlink HyperlinkAddress
HyperlinkSubAddress IgnoreResourceCalendar Notes HideBar Rollup BCWS BCWP
PhysicalPercentComplete EarnedValueMethod PredecessorLink ActualWorkProtected
ActualOvertimeWorkProtected ExtendedAttribute Baseline OutlineCode IsPublished StatusManager
CommitmentStart CommitmentFinish CommitmentType TimephasedData"""
LINK = "PredecessorUID Type CrossProject CrossProjectName LinkLag LagFormat"
TASK_BASELINE = """TimephasedData Number Interim Start Finish Duration DurationFormat
EstimatedDuration Work Cost BCWS BCWP FixedCost"""
CALENDAR = (
    "UID Name IsBaseCalendar IsBaselineCalendar BaseCalendarUID WeekDays Exceptions WorkWeeks"
)
WEEKDAY = "DayType DayWorking TimePeriod WorkingTimes"
EXCEPTION = """EnteredByOccurrences TimePeriod Occurrences Name Type Period DaysOfWeek MonthItem
MonthPosition Month MonthDay DayWorking WorkingTimes"""
RESOURCE = """UID ID Name Type IsNull Initials Phonetics NTAccount MaterialLabel Code Group
WorkGroup EmailAddress Hyperlink HyperlinkAddress HyperlinkSubAddress MaxUnits PeakUnits
OverAllocated AvailableFrom AvailableTo Start Finish CanLevel AccrueAt Work RegularWork
OvertimeWork ActualWork RemainingWork ActualOvertimeWork RemainingOvertimeWork PercentWorkComplete
StandardRate StandardRateFormat Cost OvertimeRate OvertimeRateFormat OvertimeCost CostPerUse
ActualCost ActualOvertimeCost RemainingCost RemainingOvertimeCost WorkVariance CostVariance SV CV
ACWP CalendarUID Notes BCWS BCWP IsGeneric IsInactive IsEnterprise BookingType
ActualWorkProtected ActualOvertimeWorkProtected ActiveDirectoryGUID CreationDate
ExtendedAttribute Baseline OutlineCode IsCostResource AssnOwner AssnOwnerGuid IsBudget
AvailabilityPeriods Rates TimephasedData"""
RATE = """RatesFrom RatesTo RateTable StandardRate StandardRateFormat OvertimeRate
OvertimeRateFormat CostPerUse"""
ASSIGNMENT = """UID TaskUID ResourceUID PercentWorkComplete ActualCost ActualFinish
ActualOvertimeCost ActualOvertimeWork ActualStart ActualWork ACWP Confirmed Cost CostRateTable
CostVariance CV Delay Finish FinishVariance Hyperlink HyperlinkAddress HyperlinkSubAddress
WorkVariance HasFixedRateUnits FixedMaterial LevelingDelay LevelingDelayFormat LinkedFields
Milestone Notes Overallocated OvertimeCost OvertimeWork PeakUnits RegularWork RemainingCost
RemainingOvertimeCost RemainingOvertimeWork RemainingWork ResponsePending Start Stop Resume
StartVariance Summary SV Units UpdateNeeded VAC Work WorkContour BCWS BCWP BookingType
ActualWorkProtected ActualOvertimeWorkProtected CreationDate AssnOwner AssnOwnerGuid BudgetCost
BudgetWork ExtendedAttribute Baseline TimephasedData"""

ORDER = {
    "Project": PROJECT,
    "Task": TASK,
    "PredecessorLink": LINK,
    "Calendar": CALENDAR,
    "WeekDay": WEEKDAY,
    "Exception": EXCEPTION,
    "Resource": RESOURCE,
    "Rate": RATE,
    "Assignment": ASSIGNMENT,
}

PLAN: dict[str, Any] = {
    "project": {"name": "Order", "start": "2027-01-04", "status_date": "2027-01-06"},
    "calendars": {
        "standard": {"workweek": ["mon", "tue", "wed", "thu", "fri"], "nonworking": ["2027-01-08"]},
        "weekend": {"base": "standard", "working": ["2027-01-09"]},
    },
    "resources": [
        {
            "id": "ann",
            "name": "Ann",
            "rate": "90/h",
            "rates": [{"from": "2027-02-01", "rate": "95/h"}],
        },
        {"id": "crew", "name": "Crew", "capacity": 3, "calendar": "weekend", "email": "c@x.org"},
        {"id": "steel", "name": "Steel", "kind": "equipment", "tags": ["material"]},
    ],
    "tasks": [
        {
            "id": "phase",
            "name": "Phase",
            "deadline": "2027-02-01",
            "children": [
                {
                    "id": "a",
                    "name": "A",
                    "duration": "3d",
                    "actual_start": "2027-01-04",
                    "percent_complete": 40,
                    "actual_cost": 100,
                    "fixed_cost": 50,
                    "notes": "first",
                    "assign": [{"resource": "ann"}, {"resource": "crew", "units": 2}],
                    "constraint": {"type": "must_start_on", "date": "2027-01-04"},
                },
                {
                    "id": "b",
                    "name": "B",
                    "duration": "2d",
                    "after": [{"task": "a", "type": "SS", "lag": "1d"}],
                },
            ],
        },
        {
            "id": "done",
            "name": "Done",
            "milestone": True,
            "after": ["phase"],
            "calendar": "weekend",
        },
    ],
}


def check(element: Element, order: dict[str, list[str]]) -> None:
    name = element.tag.removeprefix(NS)
    if name in order:
        expected = order[name]
        children = [child.tag.removeprefix(NS) for child in element]
        unknown = [c for c in children if c not in expected]
        assert not unknown, f"{name}: {unknown} are not in the schema's sequence"
        positions = [expected.index(c) for c in children]
        assert positions == sorted(positions), f"{name}: {children} out of schema order"
    for child in element:
        check(child, order)


def exported(baseline: dict[str, Any] | None = None) -> Element:
    data = mspdi_bytes(schedule(PLAN), baseline)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    root: Element = SafeET.fromstring(data)
    return root


def test_every_element_is_in_the_schemas_order() -> None:
    order = {name: text.split() for name, text in ORDER.items()}
    baseline = {
        "project": {"start": "2027-01-04T08:00:00", "finish": "2027-01-10T17:00:00", "bac": "10"},
        "tasks": {"a": {"start": "2027-01-04T08:00:00", "finish": "2027-01-06T17:00:00"}},
    }
    root = exported(baseline)
    check(root, order)
    tasks = root.find(f"{NS}Tasks")
    assert tasks is not None
    for name in ("PredecessorLink", "Baseline", "ConstraintDate", "Deadline", "ActualStart"):
        assert tasks.find(f".//{NS}{name}") is not None, name


def test_the_export_holds_the_outline_and_the_project_summary() -> None:
    root = exported()
    tasks = root.findall(f"{NS}Tasks/{NS}Task")
    rows = [
        (t.findtext(f"{NS}Name"), t.findtext(f"{NS}OutlineNumber"), t.findtext(f"{NS}Summary"))
        for t in tasks
    ]
    assert rows == [
        ("Order", "0", "1"),
        ("Phase", "1", "1"),
        ("A", "1.1", "0"),
        ("B", "1.2", "0"),
        ("Done", "2", "0"),
    ]
    assert [t.findtext(f"{NS}OutlineLevel") for t in tasks] == ["0", "1", "2", "2", "1"]
    assert tasks[0].findtext(f"{NS}UID") == "0"
    link = tasks[3].find(f"{NS}PredecessorLink")
    assert link is not None
    assert link.findtext(f"{NS}Type") == "3"  # SS
    assert link.findtext(f"{NS}LinkLag") == "4800"  # a day, in tenths of a minute
    resources = root.findall(f"{NS}Resources/{NS}Resource")
    assert [r.findtext(f"{NS}Type") for r in resources] == ["1", "1", "0"]
    assignments = root.findall(f"{NS}Assignments/{NS}Assignment")
    assert [a.findtext(f"{NS}Units") for a in assignments] == ["1", "2"]
    assert assignments[0].findtext(f"{NS}Work") == "PT24H0M0S"
    calendars = root.findall(f"{NS}Calendars/{NS}Calendar")
    names = [c.findtext(f"{NS}Name") for c in calendars]
    assert names[:2] == ["standard", "weekend"]
    assert "Ann" in names  # each work resource gets its own calendar, as in MS Project


def test_the_package_offers_the_readers_and_writers() -> None:
    import techpm.interop.msproject as msproject

    assert sorted(msproject.__all__) == ["mspdi_bytes", "read_mpp", "read_mspdi", "write_mspdi"]
    assert all(callable(getattr(msproject, name)) for name in msproject.__all__)
