"""`techpm ideas`, `techpm idea add` and `techpm idea promote`: from a ranked list of ideas
to an epic in the plan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from techpm.cli.output import Format, emit_csv, emit_json, number, reporting_errors, stdout
from techpm.cli.schedule import FORMAT_OPT, PLAN_ARG
from techpm.cli.tables import WIDE_OPT, Cell, Column, show_table
from techpm.domain.idea import IdeaStatus, Moscow
from techpm.domain.prioritization import Method, RankedIdea, Unscored
from techpm.interop.planfile.levels import read_rice_confidence, read_rice_impact
from techpm.services.ideas import (
    IdeaRanking,
    IdeaScores,
    NewIdea,
    add_idea,
    promote_idea,
    rank_ideas,
)

CSV_COLUMNS = ["rank", "id", "title", "score", "method", "votes", "goals", "status", "quadrant"]


def ideas(
    plan: Path = PLAN_ARG,
    rank: Method | None = typer.Option(
        None, "--rank", help="Ranking method (default: the project's `prioritization`)."
    ),
    format: Format = FORMAT_OPT,
    status: list[IdeaStatus] | None = typer.Option(
        None, "--status", help="Only ideas in this status (repeat for several)."
    ),
    wide: bool = WIDE_OPT,
) -> None:
    """Rank the plan's ideas by RICE, WSJF, MoSCoW or value over effort, best first; ideas
    missing the method's inputs are listed apart, with what they lack."""
    with reporting_errors():
        result = rank_ideas(plan, method=rank, statuses=[s.value for s in status or []])
    if format is Format.json:
        emit_json(ranking_json(result))
        return
    if format is Format.csv:
        emit_csv(CSV_COLUMNS, [_csv_row(r) for r in result.ranked])
        return
    _print_table(result, wide=wide)


def ranking_json(result: IdeaRanking) -> dict[str, Any]:
    return {
        "method": result.method.value,
        "ideas": [_idea_json(r) for r in result.ranked],
        "unscored": [_unscored_json(u) for u in result.unscored],
    }


def _idea_json(ranked: RankedIdea) -> dict[str, Any]:
    idea = ranked.idea
    row: dict[str, Any] = {
        "id": idea.id,
        "title": idea.title,
        "score": number(ranked.score),
        "rank": ranked.rank,
        "method": ranked.method.value,
        "votes": idea.votes,
        "goals": list(idea.goals),
        "status": idea.status.value,
        "epic": idea.epic,
        "inputs": {k: v if isinstance(v, str) else number(v) for k, v in ranked.inputs.items()},
    }
    if ranked.quadrant is not None:
        row["quadrant"] = ranked.quadrant.value
    return row


def _unscored_json(item: Unscored) -> dict[str, Any]:
    idea = item.idea
    return {
        "id": idea.id,
        "title": idea.title,
        "votes": idea.votes,
        "status": idea.status.value,
        "reason": item.reason,
    }


def _csv_row(ranked: RankedIdea) -> list[Any]:
    idea = ranked.idea
    quadrant = ranked.quadrant.value if ranked.quadrant else ""
    return [
        ranked.rank,
        idea.id,
        idea.title,
        number(ranked.score),
        ranked.method.value,
        idea.votes,
        " ".join(idea.goals),
        idea.status.value,
        quadrant,
    ]


def _print_table(result: IdeaRanking, *, wide: bool = False) -> None:
    if not result.ranked and not result.unscored:
        stdout.print("No ideas to rank (add an `ideas:` list to the plan).", markup=False)
        return
    quadrants = result.method is Method.VALUE_EFFORT
    columns = [
        Column("#", "right"),
        Column("ID"),
        Column("Idea", wrap=True),
        Column("Score", "right"),
        Column("Inputs", hide=2),
        Column("Votes", "right", hide=1),
        Column("Goals", wrap=True, hide=1),
        Column("Status", hide=3),
        *((Column("Quadrant", hide=4),) if quadrants else ()),
    ]
    rows: list[list[Cell]] = []
    for ranked in result.ranked:
        idea = ranked.idea
        cells: list[Cell] = [
            str(ranked.rank),
            idea.id,
            idea.title,
            f"{number(ranked.score):g}",
            _inputs_text(ranked),
            str(idea.votes),
            ", ".join(idea.goals),
            idea.status.value + (f" ({idea.epic})" if idea.epic else ""),
        ]
        if quadrants:
            cells.append(ranked.quadrant.label if ranked.quadrant else "")
        rows.append(cells)
    if result.ranked:
        show_table(f"Ideas by {result.method.label}", columns, rows, wide=wide)
    if result.unscored:
        stdout.print(f"Not ranked by {result.method.label}:", markup=False)
        for item in result.unscored:
            stdout.print(f"  {item.idea.id}: {item.reason}", markup=False)


def _inputs_text(ranked: RankedIdea) -> str:
    """The arithmetic behind the score, so that a reader can check it."""
    v = ranked.inputs
    if ranked.method is Method.RICE:
        return f"{v['reach']:g} × {v['impact']:g} × {v['confidence']:.0%} / {v['effort']:g}"
    if ranked.method is Method.WSJF:
        parts = (v["business_value"], v["time_criticality"], v["risk_reduction"])
        return f"({' + '.join(f'{p:g}' for p in parts)}) / {v['job_size']:g}"
    if ranked.method is Method.MOSCOW:
        return str(v["moscow"])
    return f"{v['value']:g} / {v['effort']:g}"


def _scale(read: Callable[[Any], Any], high: float | None = None) -> Callable[[str], float]:
    """A number, or a word of the scale (`massive`, `80%`), as the plan file takes it."""

    def parse(text: str) -> float:
        try:
            value = float(read(text))
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
        if value < 0 or (high is not None and value > high):
            limit = f"between 0 and {high:g} (80% for 80 %)" if high else "0 or more"
            raise typer.BadParameter(f"{text} is not {limit}")
        return value

    return parse


idea_app = typer.Typer(
    name="idea",
    help="Add an idea to the plan, or promote one into an epic of the plan.",
    no_args_is_help=True,
)


@idea_app.command("add")
def add(
    plan: Path = PLAN_ARG,
    title: str = typer.Option(..., "--title", help="What the idea is.", show_default=False),
    idea_id: str | None = typer.Option(
        None, "--id", help="Its id (default: made from the title, unique)."
    ),
    description: str | None = typer.Option(None, "--description", help="Why, for whom."),
    author: str | None = typer.Option(None, "--author", help="Who proposed it."),
    tag: list[str] = typer.Option([], "--tag", help="A tag (repeat for several)."),
    goal: list[str] = typer.Option([], "--goal", help="A goal id it serves (repeatable)."),
    votes: int = typer.Option(0, "--votes", min=0, help="Votes so far."),
    reach: float | None = typer.Option(None, "--reach", min=0, help="RICE: people per period."),
    impact: float | None = typer.Option(
        None,
        "--impact",
        parser=_scale(read_rice_impact),
        help="RICE: 0.25 minimal, 0.5 low, 1 medium, 2 high, 3 massive (number or word).",
    ),
    confidence: float | None = typer.Option(
        None,
        "--confidence",
        parser=_scale(read_rice_confidence, high=1),
        help="RICE: 0 to 1, 80%, or low (50%), medium (80%), high (100%).",
    ),
    effort: float | None = typer.Option(
        None, "--effort", min=0, help="RICE and value vs effort: person-months (above zero)."
    ),
    business_value: float | None = typer.Option(
        None, "--business-value", min=0, help="WSJF: user-business value."
    ),
    time_criticality: float | None = typer.Option(
        None, "--time-criticality", min=0, help="WSJF: time criticality."
    ),
    risk_reduction: float | None = typer.Option(
        None, "--risk-reduction", min=0, help="WSJF: risk reduction / opportunity enablement."
    ),
    job_size: float | None = typer.Option(
        None, "--job-size", min=0, help="WSJF: job size (above zero)."
    ),
    moscow: Moscow | None = typer.Option(None, "--moscow", help="MoSCoW category."),
    value: float | None = typer.Option(None, "--value", min=0, help="Value vs effort: value."),
) -> None:
    """Add an idea to the plan's `ideas`, keeping the file's comments and layout; a
    method's inputs come all together (RICE: reach, impact, confidence, effort)."""
    scores = IdeaScores(
        reach=reach,
        impact=impact,
        confidence=confidence,
        effort=effort,
        business_value=business_value,
        time_criticality=time_criticality,
        risk_reduction=risk_reduction,
        job_size=job_size,
        value=value,
    )
    new = NewIdea(
        title=title,
        id=idea_id,
        description=description,
        author=author,
        tags=tuple(tag),
        goals=tuple(goal),
        votes=votes,
        moscow=moscow,
        scores=scores,
    )
    with reporting_errors():
        idea = add_idea(plan, new)
    stdout.print(f"{plan}: idea {idea.id} added", markup=False)


@idea_app.command("promote")
def promote(
    plan: Path = PLAN_ARG,
    idea_id: str = typer.Argument(
        ..., metavar="ID", help="The idea to promote.", show_default=False
    ),
    tasks: str | None = typer.Option(
        None,
        "--tasks",
        help='Child task names separated by ";" (default: one, "Deliver <title>").',
    ),
    duration: str = typer.Option("1d", "--duration", help="Duration of each child task."),
    under: str | None = typer.Option(
        None, "--under", help="Summary task to put the epic under (default: the top level)."
    ),
    after: list[str] = typer.Option(
        [], "--after", help="A task the epic starts after (repeatable)."
    ),
    parallel: bool = typer.Option(
        False, "--parallel", help="Leave the child tasks unlinked instead of one after another."
    ),
) -> None:
    """Turn an idea into an epic: a summary task with child tasks, linked to the idea both
    ways (the epic's refs.idea, the idea's epic and status promoted)."""
    with reporting_errors():
        result = promote_idea(
            plan,
            idea_id,
            tasks=(tasks or "").split(";"),
            duration=duration,
            under=under,
            after=after,
            chain=not parallel,
        )
    names = ", ".join(kid.id for kid in result.children)
    stdout.print(
        f"{plan}: idea {result.idea.id} promoted to epic {result.epic.id} "
        f"({len(result.children)} task(s): {names})",
        markup=False,
    )
