"""`techpm raci`: the responsibility matrix and the rules it breaks."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from techpm.cli.csv_out import emit_records
from techpm.cli.output import EXIT_INFEASIBLE, Format, emit_json, reporting_errors, stdout
from techpm.cli.schedule import FORMAT_OPT, PLAN_ARG
from techpm.cli.tables import Column, show_table
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
        matrix: list[dict[str, str]] = []
        for entry in project.raci:
            letters = dict.fromkeys(parties, "")
            for role, people in entry.parties().items():
                for person in people:
                    letters[person] += LETTER[role]
            matrix.append(
                {"task": entry.task, "deliverable": project.task_by_id[entry.task].name, **letters}
            )
        if format is Format.csv:
            emit_records(matrix, columns=["task", "deliverable", *parties])
        else:
            columns = [Column("Deliverable", wrap=True), *(Column(p, "center") for p in parties)]
            show_table(
                "RACI",
                columns,
                [[m["deliverable"], *(m[p] for p in parties)] for m in matrix],
                repeat=1,
            )
            for v in violations:
                stdout.print(Text.assemble((v.rule, "red"), f": {v.message}"))
            if not violations:
                stdout.print("No rule broken: one accountable and someone responsible everywhere.")
    if strict and violations:
        raise typer.Exit(EXIT_INFEASIBLE)
