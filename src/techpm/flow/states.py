"""The rules every flow module shares for reading a tracker's history: moments compared as
naive UTC, and state names matched the way trackers spell them."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_naive(moment: datetime) -> datetime:
    """Aware moments to naive UTC; naive ones are taken as UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def fold_state(state: str) -> str:
    """A state's name for matching: trackers write `In Progress` for `in progress`."""
    return "".join(ch for ch in state.casefold() if ch not in " -_")
