"""One error vocabulary: stable dotted codes that front ends map to exit codes and statuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class SourceLocation:
    """Where in an input file a problem sits (1-based line and column)."""

    file: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with a stable code and where it is."""

    code: str
    message: str
    location: SourceLocation | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        field_ = ""
        if self.location and self.location.field:
            field_ = f" [{self.location.field}]"
        return f"{where}error {self.code}{field_}: {self.message}"


class TechpmError(Exception):
    """Base of every error techpm raises on purpose; `code` is stable, messages are not."""

    code: str = "techpm.error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message


class InvalidPlanError(TechpmError):
    """The plan cannot be used as written; carries every problem found, not just the first."""

    code = "plan.invalid"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        first = self.problems[0] if self.problems else None
        super().__init__(
            str(first) if first else "invalid plan", code=first.code if first else None
        )


class PlanFileError(TechpmError):
    """The plan file cannot be read at all (missing, unreadable, not YAML)."""

    code = "planfile.unreadable"


class NotFoundError(TechpmError):
    """A task, idea, sprint or other named thing that the plan does not have."""

    code = "not_found"


class TaskNotFoundError(NotFoundError):
    code = "task.not_found"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Diagnostic:
    """A problem that does not stop the work (a violated constraint, negative float)."""

    code: str
    severity: Severity
    message: str
    subjects: tuple[str, ...] = field(default=())
