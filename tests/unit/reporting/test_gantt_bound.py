"""A sponsor's Gantt chart has a bounded number of rows whatever the plan's shape: summary
levels when they fit, then milestones, the critical path and the least float, with a count
of the tasks it leaves to the full list."""

from __future__ import annotations

import sys
from pathlib import Path

from techpm.reporting.gantt_rows import GANTT_ROWS, sponsor_rows
from techpm.reporting.report_charts import gantt_svg
from techpm.services.planning import schedule_plan
from techpm.services.status_reporting import build_report

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))
from report import generate_flat  # noqa: E402  (the benchmark's flat plan)


def _flat_chain_plan(tmp_path: Path) -> Path:
    """A flat plan: a chain c0 -> ... -> c11 of 3-day tasks (36 working days, the longest
    path, so critical), two milestones on it, and 120 one-day tasks off the chain that
    start at the project start (35 days of float or more): 134 rows, none a summary."""
    lines = ["project: {name: Flat, start: 2027-01-04}", "tasks:"]
    for i in range(12):
        after = f", after: [c{i - 1}]" if i else ""
        lines.append(f"  - {{id: c{i}, name: Chain {i}, duration: 3d{after}}}")
    lines.append("  - {id: m1, name: Halfway, milestone: true, after: [c5]}")
    lines.append("  - {id: m2, name: Done, milestone: true, after: [c11]}")
    for i in range(120):
        lines.append(f"  - {{id: x{i}, name: Side {i}, duration: 1d}}")
    path = tmp_path / "flat.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_flat_plan_draws_the_milestones_and_the_critical_path_first(tmp_path: Path) -> None:
    schedule = schedule_plan(_flat_chain_plan(tmp_path))
    chosen = sponsor_rows(schedule.rows)
    ids = [row.id for row in chosen.rows]
    assert len(ids) == GANTT_ROWS  # 134 rows do not fit: the bound is filled
    # the 12 chain tasks and the 2 milestones are all in, in plan order
    assert ids[:13] == [f"c{i}" for i in range(12)] + ["m1"]
    assert ids[13] == "m2"
    # the rest of the bound goes to side tasks (all with the same float: plan order)
    assert ids[14:] == [f"x{i}" for i in range(GANTT_ROWS - 14)]
    # 134 tasks, 40 drawn, no summaries to roll the others up
    assert chosen.hidden == 134 - GANTT_ROWS


def test_a_flat_plan_of_1000_tasks_has_a_bounded_gantt_with_every_key_row(
    tmp_path: Path,
) -> None:
    plan = tmp_path / "flat-1000.yaml"
    plan.write_text(generate_flat(1000))
    report, _ = build_report(plan, iterations=0)
    schedule = schedule_plan(plan)
    drawn = {item.row.id for item in report.gantt}
    assert len(drawn) <= GANTT_ROWS
    key = [r.id for r in schedule.rows if r.milestone] + [
        r.id for r in schedule.rows if r.critical and not r.milestone and not r.summary
    ]
    # every milestone and critical task, up to the bound, in that order of preference
    assert set(key[:GANTT_ROWS]) <= drawn
    assert report.gantt_hidden == len(schedule.rows) - len(drawn)
    svg = gantt_svg(report)
    assert svg.count("ytick_") <= GANTT_ROWS + 2  # one label per row drawn
    assert f"{report.gantt_hidden:,} more tasks in the full list" in svg


def test_summary_levels_that_fit_are_kept_and_roll_up_their_tasks(tmp_path: Path) -> None:
    # 3 phases of 5 tasks each: 18 rows fit, all shown as before; nothing is hidden
    lines = ["project: {name: Phased, start: 2027-01-04}", "tasks:"]
    for p in range(3):
        lines += [f"  - id: p{p}", f"    name: Phase {p}", "    children:"]
        for i in range(5):
            after = f", after: [p{p}t{i - 1}]" if i else ""
            lines.append(f"      - {{id: p{p}t{i}, name: Task {i}, duration: 2d{after}}}")
    plan = tmp_path / "phased.yaml"
    plan.write_text("\n".join(lines) + "\n")
    chosen = sponsor_rows(schedule_plan(plan).rows)
    assert len(chosen.rows) == 18
    assert chosen.hidden == 0
