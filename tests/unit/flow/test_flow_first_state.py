"""Items count in the cumulative flow and the burndown before their first recorded change.

The plan (default workflow todo -> in progress -> review -> done), as of Fri 2027-01-22:
  t1 done, actual 01-04 .. 01-06, no history      t2 done, actual 01-06 .. 01-12, no history
  t3 in progress since 01-11, no history           t4, t5, t7 todo, no history
  t6 todo -> in progress 01-19 10:00 -> done 01-20 10:00 (a tracker's transitions only:
     the first entry says it came *from* todo, so it was in todo before, since a creation
     that is not recorded)
The chart starts on the first day anything is known (t1's start, 01-04); an item whose
creation is not known counts from there, in the state it was in before its first change.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.domain.task import StatusChange, Task
from techpm.domain.workflow import Workflow
from techpm.flow.history import end_of, item_histories
from techpm.flow.metrics import cumulative_flow

runner = CliRunner()

PLAN = """\
project: {name: Flow, start: 2027-01-04, status_date: 2027-01-22}
sprints:
  - {id: s1, name: Sprint 1, start: 2027-01-04, finish: 2027-01-15}
  - {id: s2, name: Sprint 2, start: 2027-01-18, finish: 2027-01-29}
tasks:
  - {id: t1, name: T1, duration: 2d, points: 3, status: done, sprint: s1,
     actual_start: 2027-01-04, actual_finish: 2027-01-06}
  - {id: t2, name: T2, duration: 2d, points: 5, status: done, sprint: s1,
     actual_start: 2027-01-06, actual_finish: 2027-01-12}
  - {id: t3, name: T3, duration: 2d, points: 2, status: in progress, sprint: s1,
     actual_start: 2027-01-11}
  - {id: t4, name: T4, duration: 2d, points: 3, status: todo, sprint: s1}
  - {id: t5, name: T5, duration: 2d, points: 8, status: todo, sprint: s2}
  - {id: t6, name: T6, duration: 2d, points: 1, status: done, sprint: s2,
     history: [{at: 2027-01-19T10:00, to: in progress, from: todo},
               {at: 2027-01-20T10:00, to: done, from: in progress}]}
  - {id: t7, name: T7, duration: 2d, points: 2, status: todo}
"""


# the same move written as trackers often export it, without the state it left: a move
# into a state after the workflow's first says the item was in the first state before
WITHOUT_FROM = PLAN.replace("to: in progress, from: todo}", "to: in progress}")
PLANS = pytest.mark.parametrize("text", [PLAN, WITHOUT_FROM], ids=["from", "no-from"])


def _metrics(tmp_path: Path, text: str = PLAN) -> dict[str, object]:
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["metrics", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


@PLANS
def test_cumulative_flow_has_every_item_from_the_start(tmp_path: Path, text: str) -> None:
    flow = {row["date"]: row["states"] for row in _metrics(tmp_path, text)["cumulative_flow"]}  # type: ignore[attr-defined]
    first = min(flow)
    assert first == "2027-01-04"
    # end of Mon 4: t1 in progress, the other six still in todo
    assert flow["2027-01-04"] == {"todo": 6, "in progress": 1, "review": 0, "done": 0}
    # end of Tue 12: t1, t2 done; t3 in progress; t4, t5, t6, t7 todo
    assert flow["2027-01-12"] == {"todo": 4, "in progress": 1, "review": 0, "done": 2}
    # end of Tue 19: t6 moved to in progress
    assert flow["2027-01-19"] == {"todo": 3, "in progress": 2, "review": 0, "done": 2}
    # end of Fri 22: t4, t5, t7 todo; t3 in progress; t1, t2, t6 done: all seven items
    assert flow["2027-01-22"] == {"todo": 3, "in progress": 1, "review": 0, "done": 3}
    assert all(sum(day.values()) == 7 for day in flow.values())


@PLANS
def test_burndown_starts_at_the_committed_scope(tmp_path: Path, text: str) -> None:
    burn = _metrics(tmp_path, text)["burndown"]
    s1 = {row["date"]: (row["scope"], row["completed"]) for row in burn["s1"]}  # type: ignore[index]
    # t1 3 + t2 5 + t3 2 + t4 3 = 13 points from the first day; t1 burns on Wed 6 (its
    # actual finish), t2 on Tue 12
    assert s1["2027-01-04"] == (13, 0)
    assert s1["2027-01-05"] == (13, 0)
    assert s1["2027-01-06"] == (13, 3)
    assert s1["2027-01-11"] == (13, 3)
    assert s1["2027-01-12"] == (13, 8)
    assert s1["2027-01-15"] == (13, 8)
    s2 = {row["date"]: (row["scope"], row["completed"]) for row in burn["s2"]}  # type: ignore[index]
    # t5 8 + t6 1 = 9 committed on Mon 18 (t6's first entry is a move, not its creation);
    # t6 done on Wed 20
    assert s2["2027-01-18"] == (9, 0)
    assert s2["2027-01-19"] == (9, 0)
    assert s2["2027-01-20"] == (9, 1)


WORKFLOW = Workflow(("todo", "doing", "review", "done"))
ORIGIN = datetime(2027, 1, 4, 9)
steps = st.lists(st.tuples(st.integers(1, 72), st.sampled_from(WORKFLOW.states)), max_size=5)
items = st.lists(
    st.tuples(steps, st.booleans(), st.sampled_from([None, *WORKFLOW.states]), st.integers(0, 20)),
    max_size=10,
)


@settings(max_examples=150, deadline=None)
@given(items, st.integers(0, 40))
def test_every_item_with_a_known_state_is_counted_every_day(
    drawn: list[tuple[list[tuple[int, str]], bool, str | None, int]], days: int
) -> None:
    """Items whose first change is a move (`from`), or without a history, count from the
    first day; items whose creation is recorded count from it. Nothing is ever left out."""
    tasks = []
    for n, (moves, moved, status, offset) in enumerate(drawn):
        at = ORIGIN + timedelta(hours=offset)
        history = []
        for k, (hours, state) in enumerate(moves):
            at += timedelta(hours=hours)
            history.append(StatusChange(at, state, "todo" if moved and k == 0 else None))
        tasks.append(Task(f"t{n}", f"T{n}", status=status, history=tuple(history)))
    first = ORIGIN.date()
    last = first + timedelta(days=days)
    histories = item_histories(tasks, WORKFLOW, end_of(last))
    cfd = cumulative_flow(histories, WORKFLOW, first, last)
    for day, row in zip(cfd.days, cfd.counts, strict=True):
        expected = sum(
            1
            for i in histories
            if (i.created_at is not None and i.created_at < end_of(day))
            or (i.created_at is None and (i.entries or i.state is not None))
        )
        assert sum(row) == expected
        assert min(row, default=0) >= 0
