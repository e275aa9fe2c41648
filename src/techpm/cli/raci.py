"""`techpm raci`: the responsibility matrix and the rules it breaks."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from techpm.cli.output import EXIT_INFEASIBLE, Format, emit_json, reporting_errors, stdout
from techpm.cli.schedule import FORMAT_OPT, PLAN_ARG
from techpm.domain.raci import ROLES, raci_violations
from techpm.services.planning import load_plan

LETTER = {"responsible": "R", "accountable": "A", "consulted": "C", "informed": "I"}
STRICT_OPT = typer.Option(False, "--strict", help="Exit with code 5 if a rule is broken.")


def raci(plan: Path = PLAN_ARG, format: Format = FORMAT_OPT, strict: bool = STRICT_OPT) -> None:
    """The RACI matrix per deliverable, and breaches of its rules (one A, at least one R)."""
    with reporting_errors():
        project = load_plan(plan)
    parties: list[str] = []
    for entry in project.raci:
        for people in entry.parties().values():
            parties += [p for p in people if p not in parties]
    violations = raci_violations(project.raci)
    if format is Format.json:
        emit_json(
            {
                "matrix": [
                    {"task": e.task, **{role: list(e.parties()[role]) for role in ROLES}}
                    for e in project.raci
                ],
                "violations": [
                    {"task": v.task, "rule": v.rule, "message": v.message} for v in violations
                ],
            }
        )
    else:
        table = Table(title="RACI", title_justify="left")
        table.add_column("Deliverable")
        for party in parties:
            table.add_column(party, justify="center")
        for entry in project.raci:
            letters = dict.fromkeys(parties, "")
            for role, people in entry.parties().items():
                for person in people:
                    letters[person] += LETTER[role]
            table.add_row(project.task_by_id[entry.task].name, *letters.values())
        if not stdout.is_terminal:
            stdout.width = max(stdout.width, 160)  # piped output has no width to fit
        stdout.print(table)
        for v in violations:
            stdout.print(f"[red]{v.rule}[/]: {v.message}")
        if not violations:
            stdout.print("No rule broken: one accountable and someone responsible everywhere.")
    if strict and violations:
        raise typer.Exit(EXIT_INFEASIBLE)
