"""Read a plan file into the domain, reporting every problem with its file, line and column."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from techpm.domain.errors import InvalidPlanError, Problem
from techpm.domain.estimate import Correlation
from techpm.domain.project import Project
from techpm.domain.validation import validate_project
from techpm.interop.gc_pause import paused_gc
from techpm.interop.planfile.builder import Builder, Team, TeamBuilder
from techpm.interop.planfile.document import YamlDocument, read_document
from techpm.interop.planfile.limits import value_problems
from techpm.interop.planfile.locations import PathPart
from techpm.interop.planfile.messages import describe
from techpm.interop.planfile.model import (
    PlanModel,
    TeamModel,
)
from techpm.interop.planfile.not_a_plan import (
    looks_like_schedule,
    other_format_advice,
    schedule_advice,
)
from techpm.interop.planfile.source import SourceMap

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class LoadedPlan:
    project: Project
    source_map: SourceMap


def load_plan_file(
    path: str | Path, team: Team | None = None, *, nearest_correlation: bool = False
) -> LoadedPlan:
    """`nearest_correlation`: a correlation matrix that no estimates could have is replaced
    by the nearest valid one instead of being an error."""
    with paused_gc():  # a large plan is millions of live objects and no cycles
        return load_plan_document(read_document(Path(path)), team, nearest_correlation)


def load_team_file(path: str | Path) -> Team:
    """A resource file: `resources` and their `calendars`, shared by several plans."""
    document = read_document(Path(path))
    source = SourceMap(document=document)
    if not isinstance(document.data, dict):
        raise InvalidPlanError(
            [
                Problem(
                    "planfile.not_a_mapping",
                    "a resource file is a mapping with a `resources` key",
                    source.at([]),
                )
            ]
        )
    try:
        model = TeamModel.model_validate(document.data)
    except ValidationError as exc:
        raise InvalidPlanError(_schema_problems(exc, source, TeamModel)) from None
    builder = TeamBuilder(model, source)
    team = builder.build()
    if builder.problems:
        raise InvalidPlanError(builder.problems)
    return team


def load_plan_document(
    document: YamlDocument,
    team: Team | None = None,
    nearest_correlation: bool = False,
    *,
    values_checked: bool = False,
) -> LoadedPlan:
    """Validate a parsed document and build the domain Project, or raise InvalidPlanError.
    `values_checked`: the caller has held the document's values to the limits already (an
    edit of a stored plan, whose new values alone are checked)."""
    source = SourceMap(document=document)
    data = document.data
    if looks_like_schedule(data):
        path = Path(document.file)
        raise InvalidPlanError([Problem("planfile.not_a_plan", schedule_advice(path))])
    if not isinstance(data, dict):
        advice = other_format_advice(Path(document.file))
        if advice is not None:
            raise InvalidPlanError([Problem("planfile.not_a_plan", advice)])
        raise InvalidPlanError(
            [
                Problem(
                    "planfile.not_a_mapping",
                    "a plan file is a mapping with `project` and `tasks` keys",
                    source.at([]),
                )
            ]
        )
    out_of_bounds = [] if values_checked else value_problems(data, source.at)
    if out_of_bounds:
        raise InvalidPlanError(out_of_bounds)
    project, problems = build_plan(data, source, team)
    findings = validate_project(project)
    if nearest_correlation and any(f.code == "correlation.not_psd" for f in findings):
        findings = [f for f in findings if f.code != "correlation.not_psd"]
        project = replace(project, correlations=tuple(_repaired(project.correlations)))
    problems += [Problem(f.code, f.message, source.of_finding(f)) for f in findings]
    if problems:
        raise InvalidPlanError(problems)
    return LoadedPlan(project, source)


def build_plan(
    data: dict[str, Any], source: SourceMap, team: Team | None = None
) -> tuple[Project, list[Problem]]:
    """The plan file's mapping checked against the schema and built into a Project, with the
    problems found building it, but not yet checked as a whole (links, references ...)."""
    try:
        model = PlanModel.model_validate(data)
    except ValidationError as exc:
        raise InvalidPlanError(_schema_problems(exc, source)) from None
    builder = Builder(model, source, team)
    project = builder.build()
    return project, builder.problems


def _repaired(groups: tuple[Correlation, ...]) -> list[Correlation]:
    import numpy as np  # only a plan with an invalid correlation matrix needs them

    from techpm.forecasting.correlation import nearest_correlation, smallest_eigenvalue

    out = []
    for group in groups:
        matrix = np.asarray(group.matrix, dtype=np.float64)
        if smallest_eigenvalue(matrix) < -1e-9:
            matrix = nearest_correlation(matrix)
        out.append(Correlation(group.tasks, tuple(tuple(map(float, row)) for row in matrix)))
    return out


_SCALAR_TAGS = {"str", "int", "float", "bool", "date", "datetime", "none"}


def _is_union_tag(part: PathPart) -> bool:
    """Pydantic names the member of a union it tried (`DependencyModel`, `constrained-str`)."""
    return isinstance(part, str) and (
        part in _SCALAR_TAGS or "-" in part or "[" in part or part[:1].isupper()
    )


_AT_KEY = ("extra_forbidden", "invalid_key")  # point at the key itself, not at its value


def _without_tags(error: ErrorDetails) -> tuple[PathPart, ...]:
    """The path without union tags; the last part of a key's error is the key, even `FR)`."""
    loc = error["loc"]
    if error["type"] in _AT_KEY and loc:
        return (*(p for p in loc[:-1] if not _is_union_tag(p)), loc[-1])
    return tuple(p for p in loc if not _is_union_tag(p))


def _schema_problems(
    exc: ValidationError, source: SourceMap, root: type[BaseModel] = PlanModel
) -> list[Problem]:
    """One problem per place, keeping the most specific message among union alternatives."""
    cleaned = [(_without_tags(error), error) for error in exc.errors()]
    cleaned.sort(key=lambda item: -len(item[0]))
    problems: list[tuple[tuple[int, int], Problem]] = []
    seen: set[str] = set()
    for loc, error in cleaned:
        location = source.at(loc, at_key=error["type"] in _AT_KEY)
        key = location.field or ""
        if any(s == key or s.startswith((key + ".", key + "[")) for s in seen):
            continue
        seen.add(key)
        code, message = describe(error, loc, root, source.document.data)
        problems.append(
            ((location.line or 0, location.column or 0), Problem(code, message, location))
        )
    return [p for _, p in sorted(problems, key=lambda item: item[0])]
