"""One .tjp file being read: the state its task, resource and link readers share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from techpm.interop.exchange import ImportFailed, counted_phrase, fail
from techpm.interop.taskjuggler.lexer import Lexer, Statement

SILENT = frozenset({"scheduled", "projectid", "projectids", "flags"})
TASK_SKIPS = {
    "journalentry": "journal entr[y|ies]",
    "charge": "charge[s] (cost accounting)",
    "chargeset": "chargeset[s] (cost accounting)",
    "purge": "purge statement[s]",
    "limits": "limits block[s]",
    "shifts": "shift assignment[s]",
    "shift": "shift assignment[s]",
}


@dataclass
class Node:
    """A task or resource: its statements, from its definition and any supplements."""

    ident: str
    name: str
    line: int
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    attrs: list[Statement] = field(default_factory=list)


class ReadContext:
    """What the project header set, the task and resource trees, and what was skipped."""

    start: date  # set from the project header, before anything else is read
    end: date | None

    def __init__(self, path: Path, lexer: Lexer) -> None:
        self.path = path
        self.lexer = lexer
        self.skipped: Counter[str] = Counter()
        self.skip_lines: dict[str, list[int]] = {}
        self.tasks: dict[str, Node] = {}
        self.top_tasks: list[Node] = []
        self.resources: dict[str, Node] = {}
        self.top_resources: list[Node] = []
        self.nonworking: list[Any] = []
        self.default_rate: str | None = None
        self.scenario = "plan"
        self.custom: set[str] = set()
        self.day_hours = 8.0
        self.week: dict[str, list[str]] | None = None
        self.project: dict[str, Any] = {}
        self.notes: list[str] = []
        self.links: dict[str, list[Statement]] = {}
        self.reference: dict[str, tuple[str, str]] = {}
        self.docs: dict[str, dict[str, Any]] = {}
        self.calendars: dict[str, Any] = {}

    def error(self, line: int, message: str, code: str = "import.bad_tjp") -> ImportFailed:
        source, own = self.lexer.where(line)
        return fail(source or self.path, f"line {own}", message, code=code)

    def _places(self, lines: list[int]) -> str:
        """`line 3`, `lines 3, 9, 12`, `line 2 of res.tji`: the first five."""
        more = ", ..." if len(lines) > 5 else ""
        shown = lines[:5]
        if all(self.lexer.where(x)[0] in (None, self.path) for x in shown):
            numbers = ", ".join(str(self.lexer.where(x)[1]) for x in shown)
            return f"line{'s' if len(lines) > 1 else ''} {numbers}{more}"
        return ", ".join(self.place(x) for x in shown) + more

    def place(self, line: int) -> str:
        """`line 12`, or `line 3 of res.tji` in an included file."""
        source, own = self.lexer.where(line)
        if source is None or source == self.path:
            return f"line {own}"
        return f"line {own} of {source.name}"

    def skip(self, what: str, count: int = 1, line: int | None = None) -> None:
        """Count what is not carried; `line`, where a statement is left out, is shown."""
        if count:
            self.skipped[what] += count
            if line is not None:
                self.skip_lines.setdefault(what, []).append(line)

    def skipped_messages(self) -> tuple[str, ...]:
        out = []
        for what, n in self.skipped.items():
            text = counted_phrase(n, what)
            lines = self.skip_lines.get(what, [])
            if lines:
                text += f" ({self._places(lines)})"
            out.append(text)
        return tuple(out)

    def attr_name(self, item: Statement) -> str | None:
        """The attribute's name in the first scenario, None for another scenario's value."""
        scenario, _, name = item.name.rpartition(":")
        if scenario and scenario != self.scenario:
            self.skip("value[s] of other scenarios")
            return None
        if name in self.custom:
            self.skip("custom attribute value[s]")
            return None
        return name
