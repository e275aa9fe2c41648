"""`techpm import` and `techpm export`: plans from and to other tools' files."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from techpm.cli.output import EXIT_USAGE, reporting_errors, stderr, stdout
from techpm.cli.schedule import LEVEL_OPT, PLAN_ARG
from techpm.services.exchange import (
    EXPORTERS,
    IMPORTERS,
    Imported,
    export_plan,
    import_file,
    pull_from_jira,
    write_import,
)


def import_(
    source: str = typer.Argument(
        ...,
        help="The file to import, or `jira` with --url to pull from a live Jira.",
        show_default=False,
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", help="The plan file to write (YAML).", show_default=False
    ),
    source_format: str = typer.Option(
        "auto", "--from", help=f"Input format: auto (by content), {', '.join(IMPORTERS)}."
    ),
    force: bool = typer.Option(False, "--force", help="Replace existing files."),
    url: str | None = typer.Option(None, "--url", help="Jira base URL (with `jira`)."),
    jql: str = typer.Option("", "--jql", help="Jira query selecting the issues."),
    token_env: str = typer.Option(
        "JIRA_TOKEN", "--token-env", help="Environment variable holding the Jira API token."
    ),
    email: str | None = typer.Option(
        None, "--email", help="Jira Cloud account e-mail (basic auth with the token)."
    ),
) -> None:
    """Convert MS Project, GanttProject, Jira, Trello, TaskJuggler or CSV into a plan file."""
    with reporting_errors():
        if source == "jira" and url is not None:
            imported = pull_from_jira(url, jql, os.environ.get(token_env), email, token_env)
        else:
            if url is not None:
                stderr.print(
                    "error import.usage: --url goes with `techpm import jira`", markup=False
                )
                raise typer.Exit(EXIT_USAGE)
            imported = import_file(Path(source), source_format)
        written = write_import(imported, output, force=force)
    _summary(source, imported, written)


def _summary(source: str, imported: Imported, written: list[Path]) -> None:
    project = imported.project
    summaries = sum(1 for t in project.tasks if project.is_summary(t.id))
    milestones = sum(1 for t in project.tasks if t.milestone)
    assignments = sum(len(t.assignments) for t in project.tasks)
    stdout.print(
        f"{source} ({IMPORTERS[imported.result.format][0]}): {_n(len(project.tasks), 'task')} "
        f"({summaries} summary, {_n(milestones, 'milestone')}), "
        f"{_n(len(project.dependencies), 'link')}, {_n(len(project.resources), 'resource')}, "
        f"{_n(assignments, 'assignment')}",
        markup=False,
    )
    for path in written:
        stdout.print(f"  wrote {path}", markup=False)
    if imported.matching_dates is not None:
        same, total = imported.matching_dates
        stdout.print(
            f"  finish dates: techpm's schedule gives the source's date for {same} of {total} "
            "tasks",
            markup=False,
        )
    for note in imported.result.skipped:
        stdout.print(f"  not carried over: {note}", markup=False)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def export(
    plan: Path = PLAN_ARG,
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        help="The file to write; its extension picks the format.",
        show_default=False,
    ),
    target: str = typer.Option(
        "auto", "--to", help=f"Output format: auto (by extension), {', '.join(EXPORTERS)}."
    ),
    level: bool | None = LEVEL_OPT,
) -> None:
    """Write the plan and its schedule as MS Project XML, GanttProject, Jira CSV, iCalendar,
    CSV, Mermaid or JSON."""
    with reporting_errors():
        fmt = export_plan(plan, output, target, level=level)
    stdout.print(f"{output}: {EXPORTERS[fmt][0]}", markup=False)
