"""`techpm report`: the status report for sponsors and the team, as HTML, PDF or Markdown."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from techpm.cli.output import EXIT_USAGE, reporting_errors, stderr, stdout
from techpm.cli.schedule import LEVEL_OPT, PLAN_ARG
from techpm.reporting.render import SUFFIXES
from techpm.services.report_files import write_report
from techpm.services.status_reporting import build_report, save_snapshot


class Audience(StrEnum):
    executive = "executive"
    team = "team"


def report(
    plan: Path = PLAN_ARG,
    output: Path = typer.Option(
        ..., "--output", "-o", help="status.html, status.pdf or status.md", show_default=False
    ),
    audience: Audience = typer.Option(
        Audience.team, "--audience", help="executive: one page; team: every detail."
    ),
    baseline: str | None = typer.Option(
        None, "--baseline", help="Compare with this baseline (default: the newest saved)."
    ),
    since: Path | None = typer.Option(
        None, "--since", help="List changes since this snapshot (default: the previous report's)."
    ),
    iterations: int = typer.Option(
        2000, "-n", "--iterations", min=0, help="Simulation runs for P80 and the odds (0: none)."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed, for reproducible odds."),
    keep_snapshot: bool = typer.Option(
        True,
        "--snapshot/--no-snapshot",
        help="Keep this report's snapshot for the next report's changes.",
    ),
    level: bool | None = LEVEL_OPT,
) -> None:
    """A self-contained status report: overall RAG with its reasons, milestones, Gantt chart,
    earned value, risks, hot spots, what changed, decisions and asks."""
    if output.suffix.lower() not in SUFFIXES:
        stderr.print(
            f"error report.format: {output.name}: the report is written as .html, .pdf or .md",
            markup=False,
        )
        raise typer.Exit(EXIT_USAGE)
    with reporting_errors():
        status, current = build_report(
            plan,
            audience=audience.value,
            baseline=baseline,
            since=since,
            iterations=iterations,
            seed=seed,
            level=level,
        )
    for note in status.notes:
        stderr.print(f"warning {note}", markup=False)
    with reporting_errors():  # each file replaced in one step: a crash leaves the old one
        write_report(status, output)
        if keep_snapshot:
            save_snapshot(plan, current)
    stdout.print(
        f"{output}: {status.audience} report, overall {status.verdict.overall.upper()}",
        markup=False,
    )
