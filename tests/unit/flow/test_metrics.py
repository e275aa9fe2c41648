"""Flow metrics of the hand-worked backlog in scenario.py, as of Thursday 28 January 2027."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from techpm.domain.task import StatusChange, Task
from techpm.flow.history import StateNames, end_of, item_histories, item_history
from techpm.flow.metrics import (
    burndown,
    cumulative_flow,
    cycle_time,
    flow_efficiency,
    flow_metrics,
    lead_time,
    percentiles,
    throughput,
    velocity,
    wip_age,
)

from .scenario import AS_OF, SPRINTS, TASKS, WORKFLOW

ITEMS = item_histories(TASKS, WORKFLOW, end_of(AS_OF))


def test_percentiles_are_linear_between_order_statistics() -> None:
    # R's quantile(1:10, c(.5, .85, .95)) with its default type 7 (Hyndman and Fan 1996),
    # the same rule: position (n - 1) p = 4.5, 7.65, 8.55 from the first value, so
    # 5 + .5 = 5.5, 8 + .65 = 8.65, 9 + .55 = 9.55
    assert percentiles([float(v) for v in range(10, 0, -1)]) == pytest.approx((5.5, 8.65, 9.55))
    assert percentiles([]) == (None, None, None)


def test_cycle_time() -> None:
    stats = cycle_time(ITEMS)
    # a 3 days, b 6 days, d 2 days (f was reopened, c is open); in finish order a, b, d
    assert [(i, round(d, 6)) for i, d in stats.items] == [("a", 3.0), ("b", 6.0), ("d", 2.0)]
    # sorted 2, 3, 6: P50 at position 1 -> 3; P85 at 1.7 -> 3 + .7 * 3 = 5.1; P95 at 1.9 -> 5.7
    assert (stats.p50, stats.p85, stats.p95) == pytest.approx((3.0, 5.1, 5.7))
    assert stats.finished_on == (date(2027, 1, 7), date(2027, 1, 11), date(2027, 1, 27))


def test_lead_time() -> None:
    stats = lead_time(ITEMS)
    # a 4 Jan 09:00 -> 7 Jan 10:00 = 3 1/24; b 4 Jan 09:00 -> 11 Jan 09:00 = 7;
    # d 4 Jan 09:00 -> 27 Jan 09:00 = 23. Sorted 3.04, 7, 23: P50 7, P85 7 + .7 * 16 = 18.2,
    # P95 7 + .9 * 16 = 21.4
    assert (stats.p50, stats.p85, stats.p95) == pytest.approx((7.0, 18.2, 21.4))
    assert dict(stats.items)["a"] == pytest.approx(3 + 1 / 24)


def test_throughput_counts_empty_weeks() -> None:
    weeks = throughput(ITEMS, date(2027, 1, 7), AS_OF)
    # a finished Thu 7 Jan (week 1), b Mon 11 Jan (week 2), nothing in week 3 (f's finish on
    # 19 Jan was undone), d Wed 27 Jan (week 4)
    assert [(w.week, w.monday, w.count) for w in weeks] == [
        ("2027-W01", date(2027, 1, 4), 1),
        ("2027-W02", date(2027, 1, 11), 1),
        ("2027-W03", date(2027, 1, 18), 0),
        ("2027-W04", date(2027, 1, 25), 1),
    ]
    assert throughput(ITEMS, AS_OF, date(2027, 1, 1)) == ()


def test_iso_week_across_the_year_end() -> None:
    weeks = throughput((), date(2026, 12, 28), date(2027, 1, 4))
    assert [w.week for w in weeks] == ["2026-W53", "2027-W01"]  # 2026 has 53 ISO weeks


def test_cumulative_flow_on_given_days() -> None:
    cfd = cumulative_flow(ITEMS, WORKFLOW, date(2027, 1, 4), AS_OF)
    assert cfd.states == ("todo", "doing", "blocked", "review", "done")
    assert len(cfd.days) == 25  # 4 to 28 January
    # end of 4 Jan: a doing; b, d, f todo; c and e not created yet
    assert cfd.on(date(2027, 1, 4)) == {"todo": 3, "doing": 1, "blocked": 0, "review": 0, "done": 0}
    # end of 6 Jan: a review, b blocked; c, d, e, f todo
    assert cfd.on(date(2027, 1, 6)) == {"todo": 4, "doing": 0, "blocked": 1, "review": 1, "done": 0}
    # end of 19 Jan: a, b done, f done at 18:00; c doing; d, e todo
    assert cfd.on(date(2027, 1, 19)) == {
        "todo": 2,
        "doing": 1,
        "blocked": 0,
        "review": 0,
        "done": 3,
    }
    # end of 28 Jan: a, b, d done; c and f (reopened 21 Jan) doing; e todo
    assert cfd.on(AS_OF) == {"todo": 1, "doing": 2, "blocked": 0, "review": 0, "done": 3}


def test_cumulative_flow_puts_unknown_states_first() -> None:
    odd = Task("u", "U", history=(StatusChange(datetime(2027, 1, 4, 9), "triage"),))
    items = (*ITEMS, item_history(odd, StateNames(WORKFLOW)))
    cfd = cumulative_flow(items, WORKFLOW, date(2027, 1, 4), date(2027, 1, 4))
    assert cfd.states[0] == "triage"
    assert cfd.on(date(2027, 1, 4))["triage"] == 1


def test_wip_age() -> None:
    ages = wip_age(ITEMS, WORKFLOW, AS_OF)
    # to the end of 28 Jan: c from 12 Jan 12:00 = 16.5 days; f from 19 Jan 15:00 = 9 d 9 h
    assert [(a.id, a.state) for a in ages] == [("c", "doing"), ("f", "doing")]
    assert [a.days for a in ages] == pytest.approx([16.5, 9.375])


def test_flow_efficiency() -> None:
    fe = flow_efficiency(ITEMS)
    # finished a, b, d: active a 2 + 1 (doing, review), b 1 + 3, d 2 = 9; waiting b 2
    # (blocked): 9 / 11
    assert fe.items == 3
    assert (fe.active_days, fe.waiting_days, fe.blocked_days) == pytest.approx((9.0, 2.0, 2.0))
    assert fe.ratio == pytest.approx(9 / 11)
    assert flow_efficiency(()).ratio is None


def test_velocity_by_finish_date() -> None:
    rows = velocity(ITEMS, SPRINTS, AS_OF)
    # s1 (4-15 Jan): a 3 + b 5 = 8; s2 (18-29 Jan): d 8 (f's finish was undone);
    # s3 has not started by 28 Jan
    assert [(v.sprint, v.points, v.items) for v in rows] == [("s1", 8, 2), ("s2", 8, 1)]


def test_velocity_counts_done_items_without_a_finish_in_their_sprint() -> None:
    bare = item_histories(
        (Task("x", "X", points=2, status="done", sprint="s1"), Task("y", "Y", status="done")),
        WORKFLOW,
    )
    rows = velocity(bare, SPRINTS, AS_OF)
    assert [(v.sprint, v.points, v.items, v.unestimated) for v in rows] == [
        ("s1", 2, 1, 0),
        ("s2", 0, 0, 0),
    ]


def test_burndown_of_the_first_sprint() -> None:
    days = burndown(ITEMS, SPRINTS[0], WORKFLOW, AS_OF)
    assert len(days) == 12  # 4 to 15 January, the sprint's last day included
    table = {d.day.day: (d.scope, d.completed, d.remaining) for d in days}
    assert table[4] == (8, 0, 8)  # a 3 + b 5; c (2) is created on the 5th
    assert table[5] == (10, 0, 10)
    assert table[6] == (10, 0, 10)
    assert table[7] == (10, 3, 7)  # a done at 10:00
    assert table[10] == (10, 3, 7)
    assert table[11] == (10, 8, 2)  # b done
    assert table[15] == (10, 8, 2)  # c never finished


def test_burndown_stops_at_the_as_of_day() -> None:
    days = burndown(ITEMS, SPRINTS[1], WORKFLOW, AS_OF)
    # s2 holds d (8) and e (no points): 8 until d is done on the 27th
    assert [d.day.day for d in days] == list(range(18, 29))
    assert [d.remaining for d in days] == [8] * 9 + [0, 0]
    assert {d.scope for d in days} == {8}


def test_everything_together() -> None:
    m = flow_metrics(ITEMS, WORKFLOW, SPRINTS, AS_OF)
    assert m.current_sprint == SPRINTS[1]
    assert set(m.burndown) == {"s1", "s2"}
    assert m.throughput[0].week == "2027-W01"  # from the week of the first finish
    assert m.cumulative_flow.days[0] == date(2027, 1, 4)  # from the first creation
    assert m.cumulative_flow.days[-1] == AS_OF
