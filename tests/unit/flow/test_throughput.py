"""Throughput history: which days are samples, where items finished on a day off count, the
window, and when a plan's item counts as finished."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from techpm.domain.project import Project, ProjectInfo
from techpm.domain.task import StatusChange, Task
from techpm.domain.workflow import Workflow
from techpm.flow.throughput import (
    HistoryError,
    WorkingDays,
    daily_throughput,
    finished_on,
    history_window,
    plan_history,
)
from techpm.services.forecasting import working_days
from techpm.services.planning import load_plan

WEEKDAYS = WorkingDays(lambda day: day.weekday() < 5)
MON = date(2027, 1, 4)  # Monday; 2027-01-09/10 and 16/17 are a weekend


def test_working_days_helpers() -> None:
    assert WEEKDAYS.between(MON, date(2027, 1, 10)) == [MON + timedelta(days=k) for k in range(5)]
    assert WEEKDAYS.count(date(2027, 1, 8), date(2027, 1, 11)) == 2  # Fri, Mon
    assert WEEKDAYS.on_or_after(date(2027, 1, 9)) == date(2027, 1, 11)
    assert WEEKDAYS.following(date(2027, 1, 8), 3) == [
        date(2027, 1, 8),
        date(2027, 1, 11),
        date(2027, 1, 12),
    ]
    assert WEEKDAYS.between(date(2027, 1, 9), date(2027, 1, 10)) == []


def test_weekends_are_not_samples_and_quiet_days_are() -> None:
    finished = [
        date(2027, 1, 4),  # Mon
        date(2027, 1, 6),  # Wed, twice
        date(2027, 1, 6),
        date(2027, 1, 8),  # Fri
        date(2027, 1, 9),  # Sat: counts on Friday
        date(2027, 1, 10),  # Sun: counts on Friday
        date(2027, 1, 11),  # after the window: ignored
    ]
    sampled = daily_throughput(finished, WEEKDAYS, first=MON, last=date(2027, 1, 10))
    # Mon 1, Tue 0, Wed 2, Thu 0, Fri 1 + 2 from the weekend; Sat and Sun are no samples
    assert sampled.counts.tolist() == [1, 0, 2, 0, 3]
    assert sampled.days == tuple(MON + timedelta(days=k) for k in range(5))
    assert sampled.samples == 5
    assert sampled.items == 6
    assert sampled.per_day == pytest.approx(6 / 5)


def test_a_day_off_at_the_window_start_counts_on_the_first_working_day() -> None:
    sampled = daily_throughput(
        [date(2027, 1, 9), date(2027, 1, 12)],
        WEEKDAYS,
        first=date(2027, 1, 9),
        last=date(2027, 1, 12),
    )
    assert sampled.days == (date(2027, 1, 11), date(2027, 1, 12))
    assert sampled.counts.tolist() == [1, 1]


@given(
    st.lists(st.integers(0, 40), max_size=60),
    st.sets(st.integers(0, 6), min_size=1, max_size=7),
    st.integers(0, 20),
    st.integers(0, 40),
)
def test_every_item_in_the_window_counts_once_and_only_working_days_are_samples(
    offsets: list[int], workdays: set[int], lo: int, span: int
) -> None:
    calendar = WorkingDays(lambda day: day.weekday() in workdays)
    first, last = MON + timedelta(days=lo), MON + timedelta(days=lo + span)
    finished = [MON + timedelta(days=k) for k in offsets]
    inside = sum(first <= day <= last for day in finished)
    try:
        sampled = daily_throughput(finished, calendar, first=first, last=last)
    except HistoryError:
        assert inside == 0 or not calendar.between(first, last)
        return
    assert sampled.items == inside
    assert all(day.weekday() in workdays for day in sampled.days)
    expected = sum((first + timedelta(days=k)).weekday() in workdays for k in range(span + 1))
    assert sampled.samples == expected  # every working day, quiet or not


def test_public_holidays_and_days_off_of_the_plan_calendar_are_not_samples(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "project: {name: P, start: 2027-01-04}\n"
        "calendars:\n"
        "  standard: {workweek: [mon, tue, wed, thu, fri], holidays: {country: US},"
        " nonworking: [2027-01-20], working: [2027-01-23]}\n"
        "tasks: []\n"
    )
    days = working_days(load_plan(path))
    # Mon 18 is Martin Luther King Jr. Day, Wed 20 a company day off, Sat 23 worked
    assert days.between(date(2027, 1, 18), date(2027, 1, 24)) == [
        date(2027, 1, 19),
        date(2027, 1, 21),
        date(2027, 1, 22),
        date(2027, 1, 23),
    ]


def test_window() -> None:
    finished = [date(2027, 1, 5), date(2027, 1, 20)]
    last = date(2027, 1, 31)
    assert history_window(finished, last=last) == (date(2027, 1, 5), last)
    assert history_window(finished, last=last, window_days=7) == (date(2027, 1, 25), last)
    assert history_window(finished, last=last, since=date(2027, 1, 10)) == (date(2027, 1, 10), last)
    both = history_window(finished, last=last, window_days=30, since=date(2027, 1, 10))
    assert both == (date(2027, 1, 10), last)  # the later start wins


def test_a_window_with_nothing_finished_is_an_error() -> None:
    with pytest.raises(HistoryError) as error:
        daily_throughput(
            [date(2027, 1, 4)], WEEKDAYS, first=date(2027, 1, 5), last=date(2027, 1, 8)
        )
    assert error.value.code == "history.empty_window"
    assert "2027-01-05" in error.value.message
    with pytest.raises(HistoryError) as error:  # a weekend: no working day at all
        daily_throughput(
            [date(2027, 1, 9)], WEEKDAYS, first=date(2027, 1, 9), last=date(2027, 1, 10)
        )
    assert error.value.code == "history.empty_window"


def _change(at: str, to: str, from_: str | None = None) -> StatusChange:
    return StatusChange(datetime.fromisoformat(at), to, from_)


DONE = Workflow(states=("todo", "doing", "done")).done_states.__contains__


def test_finished_on_the_last_entry_into_done() -> None:
    task = Task(
        id="a",
        name="A",
        status="done",
        history=(
            _change("2027-01-04T09:00", "todo"),
            _change("2027-01-05T09:00", "done", "todo"),
            _change("2027-01-06T09:00", "doing", "done"),  # reopened
            _change("2027-01-07T09:00", "done", "doing"),
        ),
    )
    finish = finished_on(task, DONE)
    assert finish is not None
    assert (finish.on, finish.entry) == (date(2027, 1, 7), 3)


def test_a_reopened_item_is_not_finished() -> None:
    task = Task(
        id="a",
        name="A",
        status="doing",
        history=(_change("2027-01-05T09:00", "done"), _change("2027-01-06T09:00", "doing")),
    )
    assert finished_on(task, DONE) is None


def test_zoned_moments_count_on_their_utc_day() -> None:
    late = datetime(2027, 1, 8, 21, 30, tzinfo=timezone(timedelta(hours=-5)))  # 02:30 UTC Sat
    task = Task(id="a", name="A", status="done", history=(StatusChange(late, "done"),))
    finish = finished_on(task, DONE)
    assert finish is not None
    assert finish.on == date(2027, 1, 9)


def test_plan_history_without_a_workflow() -> None:
    tasks = (
        Task(id="epic", name="Epic"),
        # a tracker's "Done" is the default workflow's `done`
        Task(
            id="a",
            name="A",
            parent="epic",
            status="Done",
            history=(_change("2027-01-05T10:00", "Done", "In Progress"),),
        ),
        Task(id="b", name="B", parent="epic", actual_finish=date(2027, 1, 6)),  # no status
        Task(id="c", name="C", parent="epic", status="done"),  # done, but when?
        Task(id="d", name="D", parent="epic", status="In Progress"),
        Task(id="e", name="E", parent="epic"),
        Task(id="m", name="M", milestone=True),  # not an item
    )
    project = Project(ProjectInfo("P", MON), {}, tasks)
    found = plan_history(project)
    assert [(f.task_id, f.on, f.entry) for f in found.finished] == [
        ("a", date(2027, 1, 5), 0),
        ("b", date(2027, 1, 6), None),
    ]
    assert [t.id for t in found.open_items] == ["d", "e"]
    assert found.undated == ("c",)
