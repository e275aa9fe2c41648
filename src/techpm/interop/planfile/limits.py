"""Limits on what a plan file may hold, checked as it is read: a hostile or mangled file is
a located error in milliseconds, never a crash, a hang or gigabytes of memory later on.

No real plan comes near them: 100 levels of nesting, a trillion-scale number, dates between
1900 and 2199.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from techpm.domain.errors import Problem, SourceLocation
from techpm.interop.planfile.locations import PathPart

MAX_DEPTH = 100
MAX_NUMBER = 10**15
MAX_EXPANDED_NODES = 1_000_000  # values a document may expand to through its aliases
FIRST_YEAR, LAST_YEAR = 1900, 2199
_DATE_TEXT = re.compile(r"^\s*([+-]?\d{4,})-\d{1,2}-\d{1,2}")
_WHERE = re.compile(r"line (\d+), column (\d+)")
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]+", re.MULTILINE)

Locator = Callable[[Sequence[PathPart]], SourceLocation]


def parser_refusal(message: str, file: str, text: str) -> Problem | None:
    """The fast parser's own limits (nesting, alias expansion), as located problems."""
    if "recursion limit" in message:
        found = _WHERE.search(message)
        where = (
            SourceLocation(file, int(found[1]), int(found[2])) if found else SourceLocation(file)
        )
        return Problem(
            "planfile.too_deep",
            f"values are nested too deeply (more than {MAX_DEPTH} levels is not a plan)",
            where,
        )
    if "alias" in message and "limit" in message:
        alias = _ALIAS.search(text)
        line = text.count("\n", 0, alias.start()) + 1 if alias else None
        return Problem(
            "planfile.alias_bomb",
            f"the anchors and aliases (&name, *name) expand to more than "
            f"{MAX_EXPANDED_NODES:,} values; write the values out or use fewer aliases",
            SourceLocation(file, line),
        )
    return None


def _scalar_problem(value: Any) -> tuple[str, str] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return "planfile.bad_number", f"{value!r} is not a number that can be used"
    if isinstance(value, int | float) and abs(value) > MAX_NUMBER:
        return "planfile.number_too_large", f"{value!r} is larger than any plan needs"
    year: int | None = None
    if isinstance(value, date | datetime):
        year = value.year
    elif isinstance(value, str) and len(value) < 40:
        found = _DATE_TEXT.match(value)
        year = int(found[1]) if found else None
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        return (
            "planfile.date_out_of_range",
            f"{value!s} is outside the years {FIRST_YEAR}-{LAST_YEAR} a plan can use",
        )
    return None


def _may_be_wrong(value: Any) -> bool:
    """A cheap first look: most values are words, which no limit concerns."""
    if type(value) is str:
        return value[:1].isdigit() or value[:1] in "+- "
    return value is not None and type(value) is not bool


def value_problems(data: Any, at: Locator, *, limit: int = 50) -> list[Problem]:
    """Every value too deep, too large, not finite or dated out of range, walked without
    recursion so that nesting cannot exhaust the stack; paths are made only for problems."""
    problems: list[Problem] = []
    stack: list[tuple[Any, tuple[PathPart, ...]]] = [(data, ())]
    if not isinstance(data, dict | list):
        stack = []
        found = _scalar_problem(data) if _may_be_wrong(data) else None
        if found is not None:
            problems.append(Problem(found[0], found[1], at(())))
    while stack and len(problems) < limit:
        container, path = stack.pop()
        if len(path) >= MAX_DEPTH:
            message = f"values are nested more than {MAX_DEPTH} levels deep"
            problems.append(Problem("planfile.too_deep", message, at(path)))
            continue
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, value in items:
            kind = type(value)
            if kind is str:  # most values: only a leading digit or sign may make a date
                if not value[:1].isdigit() and value[:1] not in "+- ":
                    continue
            elif kind is dict or kind is list:
                stack.append((value, (*path, key)))
                continue
            elif value is None or kind is bool:
                continue
            found = _scalar_problem(value)
            if found is not None:
                problems.append(Problem(found[0], found[1], at((*path, key))))
    return problems


def _children(item: dict[Any, Any] | list[Any]) -> list[Any]:
    return list(item.values()) if isinstance(item, dict) else item


def within_expansion(node: Any, budget: int = MAX_EXPANDED_NODES) -> bool:
    """Whether a round-trip tree stays within `budget` values once its aliases (shared
    objects) are expanded; sizes are kept by object identity, so a bomb is cheap to detect."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:  # post-order without recursion: children are sized before their parent
        item, children_done = stack.pop()
        if not isinstance(item, dict | list) or (not children_done and id(item) in sizes):
            continue
        if not children_done:
            sizes[id(item)] = 0  # on the way: a cycle cannot loop
            stack.append((item, True))
            stack.extend((child, False) for child in _children(item))
            continue
        total = 1 + sum(sizes.get(id(c), 1) for c in _children(item))
        if total > budget:
            return False
        sizes[id(item)] = total
    return sizes.get(id(node), 1) <= budget
