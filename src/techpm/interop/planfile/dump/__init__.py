"""A Project as plan-file values: the mapping a person would write in YAML, with durations
as "5d" and ISO dates. Exporters and the JSON round trip share it.

`plan.py` assembles the document from `tasks.py`, `calendars.py`, `risks.py` and
`backlog.py`; `values.py` spells the dates, durations and money they all hold.
"""

from __future__ import annotations

from techpm.interop.planfile.dump.plan import PLAN_KEYS, plan_document, plan_parts
from techpm.interop.planfile.dump.tasks import (
    compact_task,
    find_cycle,
    nest,
    task_entries,
    task_entry,
)
from techpm.interop.planfile.dump.values import days_text, moment_text, plain_number

__all__ = [
    "PLAN_KEYS",
    "compact_task",
    "days_text",
    "find_cycle",
    "moment_text",
    "nest",
    "plain_number",
    "plan_document",
    "plan_parts",
    "task_entries",
    "task_entry",
]
