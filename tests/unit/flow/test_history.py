"""Item timelines: created, started, finished and time in states, read off the history."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from techpm.domain.task import StatusChange, Task
from techpm.domain.workflow import Workflow
from techpm.flow.history import ItemHistory, StateNames, end_of, item_histories, item_history

from .scenario import AS_OF, TASKS, WORKFLOW, item

NAMES = StateNames(WORKFLOW)


def by_id(as_of: date = AS_OF, workflow: Workflow = WORKFLOW) -> dict[str, ItemHistory]:
    return {i.id: i for i in item_histories(TASKS, workflow, end_of(as_of))}


def test_created_started_finished() -> None:
    a = item_history(TASKS[0], NAMES)
    assert a.created_at == datetime(2027, 1, 4, 9)
    assert a.started_at == datetime(2027, 1, 4, 10)
    assert a.finished_at == datetime(2027, 1, 7, 10)
    assert a.done
    assert a.cycle_days == pytest.approx(3.0)  # 4 Jan 10:00 to 7 Jan 10:00
    assert a.lead_days == pytest.approx(3 + 1 / 24)  # from 09:00: one hour more


def test_time_in_states_between_start_and_finish() -> None:
    b = item_history(TASKS[1], NAMES)
    # doing 5 Jan 09:00 -> 6 Jan 09:00 (1 day), blocked -> 8 Jan 09:00 (2 days),
    # doing -> 11 Jan 09:00 (3 days): active 1 + 3 = 4, waiting = blocked = 2
    assert b.active_days == pytest.approx(4.0)
    assert b.waiting_days == pytest.approx(2.0)
    assert b.blocked_days == pytest.approx(2.0)
    assert b.cycle_days == pytest.approx(6.0)


def test_a_state_outside_the_active_list_is_waiting() -> None:
    only_doing = Workflow(WORKFLOW.states, active=("doing",), blocked=("blocked",))
    a = item_history(TASKS[0], StateNames(only_doing))
    # doing 4 Jan 10:00 -> 6 Jan 10:00 active (2 days); review -> 7 Jan 10:00 is a queue
    assert (a.active_days, a.waiting_days, a.blocked_days) == pytest.approx((2.0, 1.0, 0.0))


def test_reopened_item_is_not_finished() -> None:
    f = item_history(TASKS[5], NAMES)
    assert f.finished_at is None
    assert not f.done
    assert f.state == "doing"
    assert f.started_at == datetime(2027, 1, 19, 15)  # the first start counts
    assert f.cycle_days is None


def test_finish_is_the_entry_into_the_last_run_of_done_states() -> None:
    flow = Workflow(("todo", "doing", "done", "closed"), done=("done", "closed"))
    task = item(
        "x",
        ("2027-01-04T09:00", "todo"),
        ("2027-01-05T09:00", "doing"),
        ("2027-01-06T09:00", "done"),  # reopened after this
        ("2027-01-07T09:00", "doing"),
        ("2027-01-08T09:00", "done"),  # the finish: closing it later does not move it
        ("2027-01-09T09:00", "closed"),
    )
    x = item_history(task, StateNames(flow))
    assert x.finished_at == datetime(2027, 1, 8, 9)
    assert x.state == "closed"


def test_as_of_sees_the_item_as_it_was() -> None:
    items = by_id(date(2027, 1, 6))
    a, c, d = items["a"], items["c"], items["d"]
    assert a.state == "review"
    assert not a.done
    assert a.finished_at is None
    assert c.state == "todo"
    before = by_id(date(2027, 1, 3))
    assert before["a"].state is None
    assert before["a"].created_at is None
    assert d.state == "todo"


def test_aware_moments_become_naive_utc() -> None:
    plus_one = timezone(timedelta(hours=1))
    task = Task(
        "z",
        "Z",
        history=(
            StatusChange(datetime(2027, 1, 4, 10, tzinfo=plus_one), "todo"),
            StatusChange(datetime(2027, 1, 5, 9), "doing"),  # naive: UTC already
        ),
    )
    z = item_history(task, NAMES)
    assert z.created_at == datetime(2027, 1, 4, 9)
    assert z.started_at == datetime(2027, 1, 5, 9)


def test_tracker_names_match_the_workflow_and_unknown_states_are_kept() -> None:
    names = StateNames(Workflow())  # todo, in progress, review, done
    task = Task(
        "j",
        "J",
        status="Done",
        history=(
            StatusChange(datetime(2027, 1, 4, 9), "To Do"),
            StatusChange(datetime(2027, 1, 5, 9), "Selected for Development"),
            StatusChange(datetime(2027, 1, 6, 9), "In-Progress"),
            StatusChange(datetime(2027, 1, 8, 9), "DONE"),
        ),
    )
    j = item_history(task, names)
    assert [s for _, s in j.entries] == ["todo", "Selected for Development", "in progress", "done"]
    assert j.unknown_states == ("Selected for Development",)
    assert j.started_at == datetime(2027, 1, 6, 9)  # the unknown state is not a start
    assert j.finished_at == datetime(2027, 1, 8, 9)


def test_without_history_the_plan_actual_dates_are_used() -> None:
    task = Task(
        "p",
        "P",
        points=2,
        status="done",
        actual_start=date(2027, 1, 4),
        actual_finish=datetime(2027, 1, 6, 12),
    )
    p = item_history(task, NAMES)
    assert p.entries == ()
    assert p.created_at is None
    assert p.started_at == datetime(2027, 1, 4)
    assert p.finished_at == datetime(2027, 1, 6, 12)
    assert p.cycle_days == pytest.approx(2.5)
    # as of the 5th it was not finished yet, though its status says done today
    early = item_history(task, NAMES, end_of(date(2027, 1, 5)))
    assert early.finished_at is None
    no_status = Task("q", "Q", points=1, actual_finish=date(2027, 1, 5))
    assert item_history(no_status, NAMES).done
    complete = Task("r", "R", points=1, percent_complete=100)
    assert item_history(complete, NAMES).done
    assert item_history(complete, NAMES).finished_at is None  # done, but not known when
