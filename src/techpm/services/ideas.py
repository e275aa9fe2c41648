"""Ideas: rank them by the plan's method, add one to the plan file, and promote one into an
epic of the plan (a summary task with its child tasks) that the scheduler then plans."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from techpm.domain.errors import (
    InvalidPlanError,
    NotFoundError,
    Problem,
    SourceLocation,
    TaskNotFoundError,
    TechpmError,
)
from techpm.domain.idea import Idea, IdeaStatus, Moscow
from techpm.domain.prioritization import Method, RankedIdea, Unscored, rank, unscored
from techpm.domain.project import Project
from techpm.domain.task import Task
from techpm.domain.units import DurationSyntaxError, parse_duration
from techpm.interop.planfile.document import read_document
from techpm.interop.planfile.idea_edit import PlanEdit, write_plan
from techpm.interop.planfile.loader import load_plan_document, load_plan_file
from techpm.interop.planfile.writeback import holding_plan_lock
from techpm.services.planning import schedule_loaded

_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,199}$")  # the plan file's id pattern
SLUG_LENGTH = 60


class IdeaError(TechpmError):
    code = "idea.invalid"


class IdeaNotFoundError(NotFoundError):
    """Reported like a missing task (exit code 4), with its own code."""

    code = "idea.not_found"


@dataclass(frozen=True)
class IdeaRanking:
    project: Project
    method: Method
    ranked: list[RankedIdea]
    unscored: list[Unscored]


@dataclass(frozen=True)
class IdeaScores:
    """The numbers a new idea is rated with; each method takes all of its inputs or none.
    `effort` serves RICE and value vs effort alike."""

    reach: float | None = None
    impact: float | None = None
    confidence: float | None = None
    effort: float | None = None
    business_value: float | None = None
    time_criticality: float | None = None
    risk_reduction: float | None = None
    job_size: float | None = None
    value: float | None = None


@dataclass(frozen=True)
class NewIdea:
    title: str
    id: str | None = None  # default: made from the title
    description: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    votes: int = 0
    moscow: Moscow | None = None
    scores: IdeaScores = field(default_factory=IdeaScores)


@dataclass(frozen=True)
class Promotion:
    idea: Idea
    epic: Task
    children: tuple[Task, ...]


def rank_ideas(
    plan: str | Path, *, method: Method | str | None = None, statuses: Collection[str] = ()
) -> IdeaRanking:
    """The plan's ideas ranked by `method` (default: the project's `prioritization`), only
    those in `statuses` when given."""
    project = load_plan_file(plan).project
    chosen = _method(method or project.info.prioritization)
    wanted = {_status(s) for s in statuses}
    ideas = [idea for idea in project.ideas if not wanted or idea.status in wanted]
    return IdeaRanking(project, chosen, rank(ideas, chosen), unscored(ideas, chosen))


@holding_plan_lock
def add_idea(plan: str | Path, new: NewIdea) -> Idea:
    """Append the idea to the plan's `ideas` (made if absent); nothing is written unless
    every input is right and the changed plan loads."""
    plan = Path(plan)
    document = read_document(plan)
    project = load_plan_document(document).project  # valid before it is changed
    problems: list[Problem] = []
    where = SourceLocation(str(plan), field="ideas")
    title = new.title.strip()
    if not title:
        problems.append(Problem("idea.bad_title", "an idea needs a title", where))
    taken = {idea.id for idea in project.ideas}
    if new.id is None:
        idea_id = unique(slug(title, "idea"), taken)  # at most 60 characters and a suffix
    else:
        idea_id = new.id
        if not _ID.match(idea_id):
            problems.append(
                Problem(
                    "idea.bad_id",
                    f"{idea_id!r} is not a valid id (letters, digits, _ . - /; 200 at most)",
                    where,
                )
            )
        elif idea_id in taken:
            problems.append(Problem("idea.duplicate_id", f"idea {idea_id!r} exists", where))
    goals = {goal.id for goal in project.goals}
    problems += [
        Problem(
            "idea.unknown_goal",
            f"goal {goal!r} is not in `goals` ({', '.join(sorted(goals)) or 'none'})",
            SourceLocation(str(plan), field="goals"),
        )
        for goal in new.goals
        if goal not in goals
    ]
    entry: dict[str, Any] = {"id": idea_id, "title": title}
    for key, value in (("description", new.description), ("author", new.author)):
        if value and value.strip():
            entry[key] = value.strip()  # a trailing break would need a `|+` block
    if new.tags:
        entry["tags"] = list(new.tags)
    if new.votes:
        entry["votes"] = new.votes
    if new.goals:
        entry["goals"] = list(new.goals)
    keys = _score_keys(new.scores, where, problems)
    entry.update((k, keys[k]) for k in ("rice", "wsjf") if k in keys)
    if new.moscow is not None:
        entry["moscow"] = Moscow(new.moscow).value
    entry.update((k, keys[k]) for k in ("value", "effort") if k in keys)
    if problems:
        raise InvalidPlanError(problems)
    edit = PlanEdit(document)
    edit.append(("ideas",), entry)
    loaded = write_plan(plan, edit.text(), read=document)
    return next(idea for idea in loaded.project.ideas if idea.id == idea_id)


@holding_plan_lock
def promote_idea(
    plan: str | Path,
    idea_id: str,
    *,
    tasks: Sequence[str] = (),
    duration: str = "1d",
    under: str | None = None,
    after: Sequence[str] = (),
    chain: bool = True,
) -> Promotion:
    """Turn an idea into an epic: a summary task named after it (refs.idea, notes from its
    description, its tags) with one child per name (default one, "Deliver <title>"), each
    `duration` long and, with `chain`, each after the one before; the idea becomes
    `status: promoted` with `epic` set. Children start in the workflow's first state when
    the plan has a workflow."""
    plan = Path(plan)
    document = read_document(plan)
    loaded = load_plan_document(document)
    project = loaded.project
    position = next((n for n, i in enumerate(project.ideas) if i.id == idea_id), None)
    if position is None:
        known = ", ".join(i.id for i in project.ideas[:10]) or "none"
        raise IdeaNotFoundError(f"no idea {idea_id!r} in {plan} (ideas: {known})")
    idea = project.ideas[position]
    if idea.status is IdeaStatus.PROMOTED or idea.epic is not None:
        raise IdeaError(
            f"idea {idea_id!r} was already promoted" + (f" to {idea.epic!r}" if idea.epic else ""),
            code="idea.already_promoted",
        )
    for task_id in (under, *after):
        if task_id is not None and task_id not in project.task_by_id:
            raise TaskNotFoundError(f"no task {task_id!r} in {plan}")
    problems: list[Problem] = []
    where = SourceLocation(str(plan), field="tasks")
    if under is not None and not project.is_summary(under):
        problems.append(
            Problem(
                "idea.bad_parent",
                f"task {under!r} has no children; an epic goes under a summary task",
                where,
            )
        )
    try:
        if parse_duration(duration, project.units) <= 0:
            problems.append(
                Problem("idea.bad_duration", f"duration {duration!r} must be above zero", where)
            )
    except DurationSyntaxError as exc:
        problems.append(Problem("idea.bad_duration", str(exc), where))
    if problems:
        raise InvalidPlanError(problems)
    epic = _epic(project, idea, tasks, duration, after, chain)
    edit = PlanEdit(document)
    path = (*loaded.source_map.tasks[under][0], "children") if under else ("tasks",)
    edit.append(path, epic)
    edit.set(("ideas", position), {"status": IdeaStatus.PROMOTED.value, "epic": epic["id"]})
    # a link to a task that follows the epic's parent closes a cycle: scheduling finds it
    changed = write_plan(plan, edit.text(), schedule_loaded, read=document).project
    kids = tuple(changed.task_by_id[kid["id"]] for kid in epic["children"])
    return Promotion(changed.ideas[position], changed.task_by_id[epic["id"]], kids)


def slug(text: str, fallback: str) -> str:
    """An id from a title: ASCII letters and digits, lower case, joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:SLUG_LENGTH].rstrip("-") or fallback


def unique(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3` ... whichever is free."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _epic(
    project: Project,
    idea: Idea,
    names: Iterable[str],
    duration: str,
    after: Sequence[str],
    chain: bool,
) -> dict[str, Any]:
    taken = set(project.task_by_id)
    # ids stay under the plan file's 200 characters, suffixes included
    epic_id = unique(idea.id if idea.id not in taken else f"{idea.id[:180]}-epic", taken)
    taken.add(epic_id)
    first_state = project.workflow.states[0] if project.workflow else None
    children: list[dict[str, Any]] = []
    for name in [n.strip() for n in names if n.strip()] or [f"Deliver {idea.title}"]:
        kid_id = unique(f"{epic_id[:120]}-{slug(name, 'task')}", taken)
        taken.add(kid_id)
        kid: dict[str, Any] = {"id": kid_id, "name": name, "duration": duration}
        if chain and children:
            kid["after"] = [children[-1]["id"]]
        if first_state is not None:
            kid["status"] = first_state
        children.append(kid)
    epic: dict[str, Any] = {"id": epic_id, "name": idea.title, "issue_type": "epic"}
    if idea.description:
        epic["notes"] = idea.description
    if idea.tags:
        epic["tags"] = list(idea.tags)
    epic["refs"] = {"idea": idea.id}
    if after:
        epic["after"] = list(after)
    epic["children"] = children
    return epic


_GROUPS = {
    "rice": ("reach", "impact", "confidence", "effort"),
    "wsjf": ("business_value", "time_criticality", "risk_reduction", "job_size"),
}
_ABOVE_ZERO = {"effort", "job_size"}


def _score_keys(
    scores: IdeaScores, where: SourceLocation, problems: list[Problem]
) -> dict[str, Any]:
    """Plan-file keys for the scores given; a method's inputs come all together or not."""
    numbers = {k: v for k, v in vars(scores).items() if v is not None}
    for name, number in numbers.items():
        low = "above zero" if name in _ABOVE_ZERO else "zero or more"
        bad = not math.isfinite(number) or number < 0 or (name in _ABOVE_ZERO and number == 0)
        if bad or (name == "confidence" and number > 1):
            limit = "between 0 and 1" if name == "confidence" else low
            problems.append(Problem("idea.bad_score", f"{name} must be {limit}", where))
    keys: dict[str, Any] = {}
    for method, names in _GROUPS.items():
        given = [n for n in names if n in numbers and n != "effort"]
        if given:
            missing = [n for n in names if n not in numbers]
            if missing:
                problems.append(
                    Problem(
                        "idea.incomplete_scores",
                        f"{method.upper()} needs {_and(names)}; missing {_and(missing)}",
                        where,
                    )
                )
            else:
                keys[method] = {n: _tidy(numbers[n]) for n in names}
    if "value" in numbers:
        if "effort" not in numbers:
            problems.append(
                Problem("idea.incomplete_scores", "value vs effort needs effort too", where)
            )
        else:
            keys["value"] = _tidy(numbers["value"])
            keys["effort"] = _tidy(numbers["effort"])
    elif "effort" in numbers and "rice" not in keys and not _partial_rice(numbers):
        problems.append(
            Problem(
                "idea.incomplete_scores",
                "effort alone scores nothing: give value (value vs effort) or reach, impact "
                "and confidence (RICE)",
                where,
            )
        )
    return keys


def _and(names: Sequence[str]) -> str:
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


def _partial_rice(numbers: dict[str, float]) -> bool:
    return any(n in numbers for n in ("reach", "impact", "confidence"))


def _tidy(number: float) -> int | float:
    """4000.0 is written 4000."""
    return int(number) if float(number).is_integer() else number


def _method(name: Method | str) -> Method:
    try:
        return Method(name)
    except ValueError:
        choices = ", ".join(m.value for m in Method)
        raise IdeaError(
            f"no ranking method {name!r} (one of {choices})", code="idea.unknown_method"
        ) from None


def _status(name: str) -> IdeaStatus:
    try:
        return IdeaStatus(name)
    except ValueError:
        choices = ", ".join(s.value for s in IdeaStatus)
        raise IdeaError(
            f"no idea status {name!r} (one of {choices})", code="idea.unknown_status"
        ) from None
