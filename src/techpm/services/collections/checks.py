"""One entity's body held to the plan file's schema before anything else: every wrong key
is named at once, with the codes `techpm check` gives (`planfile.bad_value`,
`planfile.missing_field`, `planfile.unknown_field`), in the body's own field names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from techpm.domain.errors import InvalidPlanError, Problem, SourceLocation
from techpm.interop.planfile.document import DataDocument
from techpm.interop.planfile.loader import build_plan
from techpm.interop.planfile.source import SourceMap

Entry = dict[str, Any]


def entry_problems(
    parts: Mapping[str, Any], section: str, entry: Entry, file: str
) -> list[Problem]:
    """The problems of `entry` as an entry of the plan file's list `section`, read against
    the plan's project and calendars; fields are the entry's own keys (`duration`)."""
    document: dict[str, Any] = {
        "project": parts.get("project", {}),
        "calendars": parts.get("calendars", {}),
        "tasks": [],
        section: [entry],
    }
    try:
        _, problems = build_plan(document, SourceMap(document=DataDocument(file, document)))
    except InvalidPlanError as exc:
        problems = exc.problems
    prefix = f"{section}[0]"
    return [_inside(p, prefix) for p in problems]


def _inside(problem: Problem, prefix: str) -> Problem:
    where = problem.location
    field = where.field if where else None
    if field is not None and field.startswith(prefix + "."):
        field = field[len(prefix) + 1 :]
    elif field == prefix:
        field = None
    return Problem(
        problem.code, problem.message, SourceLocation(where.file if where else "", field=field)
    )


def field_problem(field: str, message: str, code: str = "planfile.bad_value") -> Problem:
    return Problem(code, f"{field}: {message}", SourceLocation("body", field=field))


def refuse(problems: list[Problem]) -> None:
    if problems:
        raise InvalidPlanError(problems)


def text_fields(
    body: Mapping[str, Any], names: tuple[str, ...], required: tuple[str, ...]
) -> list[Problem]:
    """Keys that must be non-empty text when given (and given when required), all at once."""
    out = []
    for name in names:
        if name not in body or body[name] is None:
            if name in required:
                out.append(field_problem(name, "required", "planfile.missing_field"))
        elif not isinstance(body[name], str) or not body[name]:
            out.append(field_problem(name, "must be text (an id)"))
    return out
