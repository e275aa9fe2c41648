"""The task CSV's columns and the other names they go by, shared by the reader and writer."""

from __future__ import annotations

# wbs, start, finish, total_float and critical are the schedule's: written, never read as
# plan data (start and finish come back as reference dates)
COLUMNS = (
    *("id", "name", "parent", "wbs", "duration", "effort", "estimate", "milestone", "after"),
    *("start", "finish", "total_float", "critical", "constraint", "deadline", "calendar"),
    *("percent_complete", "remaining_duration", "actual_start", "actual_finish", "priority"),
    *("owner", "assign", "tags", "notes", "fixed_cost", "accrue", "cost_account", "actual_cost"),
    *("control_account", "issue_type", "points", "status", "sprint", "refs"),
)
ALIASES = {
    "predecessors": "after",
    "dependencies": "after",
    "resources": "assign",
    "% complete": "percent_complete",
    "percent": "percent_complete",
    "labels": "tags",
}
CONSTRAINT_NAMES = {
    "snet": "start_no_earlier_than",
    "snlt": "start_no_later_than",
    "fnet": "finish_no_earlier_than",
    "fnlt": "finish_no_later_than",
    "mso": "must_start_on",
    "mfo": "must_finish_on",
}
