"""Invariants of flow metrics over random histories."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from techpm.domain.task import StatusChange, Task
from techpm.domain.workflow import Workflow
from techpm.flow.history import end_of, item_histories
from techpm.flow.metrics import cumulative_flow, flow_efficiency, throughput, velocity

from .scenario import SPRINTS

WORKFLOW = Workflow(("todo", "doing", "blocked", "review", "done"), blocked=("blocked",))
ORIGIN = datetime(2027, 1, 4)
STATES = [*WORKFLOW.states, "triage"]  # one state the workflow does not know

# an item: its changes as (hours after the previous change, state); the first is creation
changes = st.lists(st.tuples(st.integers(0, 96), st.sampled_from(STATES)), min_size=0, max_size=8)
backlogs = st.lists(
    st.tuples(changes, st.integers(0, 24 * 30), st.none() | st.integers(0, 13)),
    min_size=0,
    max_size=12,
)


Backlog = list[tuple[list[tuple[int, str]], int, int | None]]


def tasks_of(backlog: Backlog) -> list[Task]:
    tasks = []
    for n, (steps, offset, points) in enumerate(backlog):
        at = ORIGIN + timedelta(hours=offset)
        history = []
        for hours, state in steps:
            at += timedelta(hours=hours)
            history.append(StatusChange(at, state))
        sprint = SPRINTS[n % 2].id if n % 3 else None
        tasks.append(Task(f"t{n}", f"T{n}", points=points, sprint=sprint, history=tuple(history)))
    return tasks


@settings(max_examples=150, deadline=None)
@given(backlogs, st.integers(0, 60))
def test_each_day_counts_every_item_created_by_its_end(backlog: Backlog, days: int) -> None:
    last = ORIGIN.date() + timedelta(days=days)
    items = item_histories(tasks_of(backlog), WORKFLOW, end_of(last))
    first = ORIGIN.date()
    cfd = cumulative_flow(items, WORKFLOW, first, last)
    for day, row in zip(cfd.days, cfd.counts, strict=True):
        # an item whose first entry is a move (into a state after the first) was there
        # before it, since a creation not recorded: it counts from the first day
        created = sum(
            1
            for i in items
            if (i.created_at is not None and i.created_at < end_of(day))
            or (i.created_at is None and i.entries)
        )
        assert sum(row) == created
        assert min(row, default=0) >= 0


@settings(max_examples=150, deadline=None)
@given(backlogs)
def test_cycle_time_never_exceeds_lead_time(backlog: Backlog) -> None:
    for item in item_histories(tasks_of(backlog), WORKFLOW):
        if item.cycle_days is not None:
            # no lead time when the creation is not recorded (the first entry is a move)
            assert (item.lead_days is None) == (item.created_at is None)
            assert 0 <= item.cycle_days <= (item.lead_days or item.cycle_days)
            # time in started states fits between the start and the finish
            assert item.active_days + item.waiting_days <= item.cycle_days + 1e-9
            assert item.blocked_days <= item.waiting_days + 1e-9


@settings(max_examples=100, deadline=None)
@given(backlogs)
def test_counts_add_up(backlog: Backlog) -> None:
    items = item_histories(tasks_of(backlog), WORKFLOW)
    finished = [i for i in items if i.finished_at is not None]
    weeks = throughput(items, date(2027, 1, 1), date(2027, 12, 31))
    assert sum(w.count for w in weeks) == len(finished)
    ratio = flow_efficiency(items).ratio
    assert ratio is None or 0 <= ratio <= 1
    # every finished item counts in at most one sprint
    rows = velocity(items, SPRINTS, date(2027, 12, 31))
    assert sum(v.items for v in rows) <= len(finished)
    assert sum(v.points for v in rows) <= sum(i.points or 0 for i in finished)
