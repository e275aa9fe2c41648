"""`techpm check`, `techpm init` and `techpm schema`: working with the plan file itself."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from techpm.cli.csv_out import emit_records
from techpm.cli.output import (
    EXIT_ERROR,
    Format,
    diagnostic_json,
    emit_json,
    error_json,
    fail,
    print_diagnostics,
    stderr,
    stdout,
    write_text,
)
from techpm.domain.errors import TechpmError
from techpm.interop.planfile.schema import plan_json_schema
from techpm.interop.planfile.starter import starter_plan
from techpm.services.planning import check_plan

# one row per problem: errors (with their place) when invalid, else the warnings
CHECK_COLUMNS = ["code", "severity", "message", "subjects", "file", "line", "column", "field"]


def check(
    plan: Path = typer.Argument(..., help="The plan file (YAML).", show_default=False),
    format: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
) -> None:
    """Validate a plan without printing its schedule; exit code 3 when it is invalid."""
    try:
        result = check_plan(plan)
    except TechpmError as error:
        # the problems on stdout for tools; the same messages on stderr for people
        errors = [{**e, "file": e["file"] or str(plan)} for e in error_json(error)]
        if format is Format.json:
            emit_json({"file": str(plan), "valid": False, "errors": errors})
        elif format is Format.csv:
            emit_records([{"severity": "error", **e} for e in errors], columns=CHECK_COLUMNS)
        fail(error)
    print_diagnostics(result.diagnostics)
    project = result.problem.project
    summary = {
        "file": str(plan),
        "valid": True,
        "tasks": len(project.tasks),
        "dependencies": len(project.dependencies),
        "finish": result.finish.isoformat(),
        "errors": [],
        "warnings": [diagnostic_json(d) for d in result.diagnostics],
    }
    if format is Format.json:
        emit_json(summary)
        return
    if format is Format.csv:
        emit_records(
            [{**diagnostic_json(d), "file": str(plan)} for d in result.diagnostics],
            columns=CHECK_COLUMNS,
        )
        return
    stdout.print(
        f"{plan}: OK, {summary['tasks']} tasks, {summary['dependencies']} links, "
        f"finishes {result.finish:%a %Y-%m-%d}"
        + (f", {len(result.diagnostics)} warning(s)" if result.diagnostics else ""),
        markup=False,
    )


def init(
    path: Path = typer.Argument(Path("plan.yaml"), help="Where to write the starter plan."),
    name: str = typer.Option("New project", "--name", help="Project name."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a starter plan to edit."""
    if path.exists() and not force:
        stderr.print(
            f"error planfile.exists: {path} already exists; use --force to overwrite it",
            markup=False,
        )
        raise typer.Exit(EXIT_ERROR)
    write_text(starter_plan(date.today(), name=name, filename=path.name), path)
    stdout.print(f"wrote {path}; next: techpm schedule {path}", markup=False)


def schema(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
) -> None:
    """Print the JSON Schema of plan files, for editor validation and completion."""
    emit_json(plan_json_schema(), output)
