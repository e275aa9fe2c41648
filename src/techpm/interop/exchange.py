"""What every importer returns and every exporter takes, so that `techpm import` and
`techpm export` treat all formats alike.

An importer reads a file and returns the plan as a plan-file mapping (the YAML document a
user would have written), which the plan loader then validates like any plan file: one
path from every format to the domain, and one set of rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from techpm.domain.errors import TechpmError
from techpm.scheduling.result import Schedule

_PLURAL = re.compile(r"\[([^\]]*)\]")


class ImportFailed(TechpmError):
    """A file that cannot be imported; the message names the file and where in it."""

    code = "import.failed"


@dataclass(frozen=True)
class ImportResult:
    format: str  # "mspdi", "jira-csv", "gan" ...
    document: dict[str, Any]  # plan-file mapping: project, calendars, resources, tasks ...
    skipped: tuple[str, ...] = ()  # what the file held that the plan does not carry, in words
    # named baselines found in the file, in the shape `techpm baseline` saves
    baselines: dict[str, dict[str, Any]] = field(default_factory=dict)
    # dates the source tool computed, task id -> (start, finish) ISO texts: a reference
    reference_dates: dict[str, tuple[str, str]] = field(default_factory=dict)


class Importer(Protocol):
    def __call__(self, path: Path) -> ImportResult: ...


class Exporter(Protocol):
    """Writes the plan of `schedule` (schedule.problem.project) to `path`."""

    def __call__(self, schedule: Schedule, path: Path) -> None: ...


def fail(path: Path, where: str, message: str, code: str = "import.failed") -> ImportFailed:
    """`where`: a line, row, element or JSON path, in the file's own terms."""
    location = f"{path.name}: {where}: " if where else f"{path.name}: "
    return ImportFailed(location + message, code=code)


def counted_phrase(count: int, phrase: str) -> str:
    """`3 task[s]` reads `3 tasks`; `1 propert[y|ies]` reads `1 property`."""

    def pick(match: re.Match[str]) -> str:
        one, bar, many = match[1].partition("|")
        if not bar:
            one, many = "", one
        return one if count == 1 else many

    return f"{count} " + _PLURAL.sub(pick, phrase)
