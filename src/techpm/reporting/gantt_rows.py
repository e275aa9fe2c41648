"""Which rows a sponsor's Gantt chart draws: what a sponsor reads, in a bounded number.

A 1,000-row chart is unreadable on a page and took most of a report's time to draw (its
text labels). The chart shows the summary levels when they fit; then, up to the bound,
the milestones, the critical tasks and the tasks with the least float, in plan order.
Tasks that are neither drawn nor rolled up in a drawn summary are counted, for a note
pointing at the full list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from techpm.scheduling.result import TaskSchedule

GANTT_LEVELS = 2  # the top WBS levels drawn when they fit ...
GANTT_ROWS = 40  # ... in this many rows; no chart draws more


@dataclass(frozen=True)
class GanttSelection:
    rows: tuple[TaskSchedule, ...]
    hidden: int  # leaf tasks neither drawn nor inside a drawn summary


def sponsor_rows(
    rows: Sequence[TaskSchedule], limit: int = GANTT_ROWS, levels: int = GANTT_LEVELS
) -> GanttSelection:
    """At most `limit` rows of the schedule (in WBS order), chosen as described above."""
    shown = _summary_levels(rows, limit, levels)
    if len(shown) < limit:
        chosen = {row.id for row in shown}
        covered = _covered(rows, chosen)
        leaves = [row for row in rows if not row.summary and row.id not in chosen]
        # milestones first (the dates sponsors are promised, even inside a drawn summary),
        # then the critical path, then the work with the least float left
        wanted = [
            *(row for row in leaves if row.milestone),
            *(row for row in leaves if row.critical and row.id not in covered),
            *sorted(
                (row for row in leaves if row.id not in covered),
                key=lambda row: row.total_float_minutes,
            ),
        ]
        for row in wanted:
            if len(chosen) >= limit:
                break
            chosen.add(row.id)
        shown = [row for row in rows if row.id in chosen]
    chosen = {row.id for row in shown}
    covered = _covered(rows, chosen)
    hidden = sum(
        1 for row in rows if not row.summary and row.id not in chosen and row.id not in covered
    )
    return GanttSelection(tuple(shown), hidden)


def _summary_levels(rows: Sequence[TaskSchedule], limit: int, levels: int) -> list[TaskSchedule]:
    """The deepest top levels that fit in `limit` rows; when even the top level does not,
    its summaries (and as many of its tasks as fit) alone."""
    for depth in range(levels, 0, -1):
        shown = [row for row in rows if row.level < depth]
        if len(shown) <= limit:
            return shown
    summaries = [row for row in rows if row.level == 0 and row.summary]
    return summaries[:limit]


def _covered(rows: Sequence[TaskSchedule], chosen: set[str]) -> set[str]:
    """Ids of the rows inside a chosen summary (rows are in WBS order, with their level)."""
    covered: set[str] = set()
    inside: int | None = None  # level of the chosen summary being walked through
    for row in rows:
        if inside is not None and row.level <= inside:
            inside = None
        if inside is not None:
            covered.add(row.id)
        elif row.summary and row.id in chosen:
            inside = row.level
    return covered
