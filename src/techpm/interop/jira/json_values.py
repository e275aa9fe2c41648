"""Plain values out of Jira's JSON (text, UTC instants, days, sprint names, ADF descriptions)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

_SERVER_SPRINT = "com.atlassian.greenhopper.service.sprint.Sprint"
_SPRINT_NAME = re.compile(r"\bname=([^,\]]*)")
_BLOCK_CONTAINERS = {"doc", "bulletList", "orderedList", "listItem", "blockquote", "panel"}


def clean_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def utc_instant(value: Any) -> datetime | None:
    """Jira's timestamps (2020-12-03T14:05:20.974+0100) as UTC."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def iso_day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def sprint_name(value: Any) -> str | None:
    if isinstance(value, dict):
        return clean_text(value.get("name"))
    if isinstance(value, str):
        match = _SPRINT_NAME.search(value)
        return match.group(1).strip() or None if match else value.strip() or None
    return None


def looks_like_sprints(value: Any) -> bool:
    """Cloud: [{id, name, state, boardId ...}]; Server: ["...sprint.Sprint@1f[id=1,...]"]."""
    if not isinstance(value, list) or not value:
        return False
    return all(
        (isinstance(v, dict) and {"name", "state"} <= v.keys() and "boardId" in v)
        or (isinstance(v, str) and v.startswith(_SERVER_SPRINT))
        for v in value
    )


def adf_text(node: Any) -> str:
    """Plain text of an Atlassian Document Format description (API version 3)."""
    if isinstance(node, list):
        return "".join(adf_text(child) for child in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    if kind == "text":
        return str(node.get("text") or "")
    if kind == "hardBreak":
        return "\n"
    children = node.get("content")
    parts = [adf_text(c) for c in children] if isinstance(children, list) else []
    if kind in _BLOCK_CONTAINERS:
        return "\n".join(p for p in parts if p)
    if kind == "mention":
        return str((node.get("attrs") or {}).get("text") or "")
    return "".join(parts)
