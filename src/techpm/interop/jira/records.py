"""The `Issue` records Jira readers fill, and the ids, durations and words all Jira code shares."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

DEFAULT_DURATION = "1d"  # what an issue without an estimate is assumed to take
MINUTES_PER_DAY = 8 * 60  # Jira's default time tracking day, and the plan's standard day
VERSION_REF = "jira_version"  # refs key marking a milestone made from a fix version
# Jira's priority names (default schemes, old and new) on techpm's 0-1000 scale
# and their names in the languages Jira exports in (French, German, Spanish, Portuguese,
# Italian, Japanese)
PRIORITIES = {
    **dict.fromkeys(
        (
            "highest",
            "blocker",
            "la plus haute",
            "très haute",
            "bloquant",
            "höchste",
            "máxima",
            "más alta",
            "bloqueante",
            "mais alta",
            "altíssima",
            "bloqueador",
            "massima",
            "più alta",
            "bloccante",
            "最高",
            "ブロッカー",
        ),
        900,
    ),
    **dict.fromkeys(
        (
            "high",
            "critical",
            "haute",
            "critique",
            "hoch",
            "kritisch",
            "alta",
            "crítica",
            "critica",
            "高",
            "重大",
        ),
        700,
    ),
    **dict.fromkeys(
        (
            "medium",
            "major",
            "moyenne",
            "majeure",
            "mittel",
            "schwer",
            "media",
            "mayor",
            "média",
            "maior",
            "maggiore",
            "中",
            "メジャー",
        ),
        500,
    ),
    **dict.fromkeys(
        (
            "low",
            "minor",
            "basse",
            "mineure",
            "niedrig",
            "gering",
            "baja",
            "menor",
            "baixa",
            "bassa",
            "minore",
            "低",
            "マイナー",
        ),
        300,
    ),
    **dict.fromkeys(
        (
            "lowest",
            "trivial",
            "la plus basse",
            "très basse",
            "triviale",
            "niedrigste",
            "unwesentlich",
            "mínima",
            "más baja",
            "mais baixa",
            "baixíssima",
            "minima",
            "più bassa",
            "banale",
            "最低",
            "トリビアル",
        ),
        100,
    ),
}
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_BAD_ID_CHARS = re.compile(r"[^A-Za-z0-9_.\-/]")


@dataclass(frozen=True)
class Person:
    ref: str  # account id (Cloud) or username (Server): what Jira knows the person by
    name: str


@dataclass(frozen=True)
class Change:
    """The issue entered status `to` at `at` (UTC)."""

    at: datetime
    to: str
    from_: str | None = None


@dataclass(frozen=True)
class Issue:
    """One issue as the readers found it; references to other issues are keys or ids."""

    where: str  # "line 7", "$.issues[3]": for messages
    key: str | None = None
    issue_id: str | None = None
    summary: str | None = None
    issue_type: str | None = None
    status: str | None = None
    priority: str | None = None
    project: str | None = None
    assignee: Person | None = None
    parent: str | None = None  # a sub-task's parent, or Cloud's `parent` of any issue
    epic: str | None = None  # Epic Link, or the agile API's epic
    blocks: tuple[str, ...] = ()  # issues this one blocks
    blocked_by: tuple[str, ...] = ()
    other_links: tuple[str, ...] = ()  # links of other kinds (relates ...), one name each
    estimate_seconds: int | None = None
    points: float | None = None
    sprints: tuple[str, ...] = ()  # oldest first; the last is the current one
    versions: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    due: date | datetime | None = None
    description: str | None = None
    history: tuple[Change, ...] = ()
    dates: tuple[date, ...] = ()  # created, updated, resolved: when the data is from
    target: tuple[str, str] | None = None  # planned start and end the file carried


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def sanitize_id(text: str) -> str:
    """A plan id (letters, digits, `_ . - /`) for a foreign id; the original goes in refs."""
    cleaned = _BAD_ID_CHARS.sub("_", text.strip())[:200]
    if not cleaned or cleaned[0] in ".-/":
        cleaned = ("_" + cleaned)[:200]
    return cleaned


def duration_text(seconds: int) -> str:
    """Jira's seconds of work as plan text: days of 8 hours when whole, else hours or minutes."""
    minutes = -(-max(seconds, 0) // 60)
    if minutes % MINUTES_PER_DAY == 0:
        return f"{minutes // MINUTES_PER_DAY}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3` ... if an earlier item has it."""
    candidate, suffix = base, 2
    while candidate in taken:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(candidate)
    return candidate


def listed(names: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
