"""`techpm stakeholders`: the register and the power/interest grid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from techpm.cli.output import Format, emit_json, reporting_errors, stdout
from techpm.cli.schedule import FORMAT_OPT, PLAN_ARG
from techpm.reporting.stakeholder_chart import write_power_interest_grid
from techpm.services.planning import load_plan

QUADRANTS = ("manage closely", "keep satisfied", "keep informed", "monitor")


def stakeholders(
    plan: Path = PLAN_ARG,
    format: Format = FORMAT_OPT,
    charts: Path | None = typer.Option(
        None, "--charts", help="Write the power/interest grid (SVG and PNG) to this folder."
    ),
) -> None:
    """The stakeholder register with the communication plan, and the power/interest grid."""
    with reporting_errors():
        project = load_plan(plan)
    if charts is not None:
        write_power_interest_grid(project.stakeholders, charts)
    people = sorted(project.stakeholders, key=lambda s: (-s.influence, -s.interest, s.id))
    rows: list[dict[str, Any]] = [
        {
            "id": s.id,
            "name": s.name,
            "role": s.role,
            "organisation": s.organisation,
            "interest": s.interest,
            "influence": s.influence,
            "quadrant": s.quadrant,
            "expectations": s.expectations,
            "channel": s.channel,
            "email": s.email,
            "frequency": s.cadence,
            "report": s.audience,
        }
        for s in people
    ]
    grid = {q: [r["id"] for r in rows if r["quadrant"] == q] for q in QUADRANTS}
    if format is Format.json:
        emit_json({"stakeholders": rows, "grid": grid})
        return
    table = Table(title="Stakeholders, by influence", title_justify="left")
    for header in (
        "ID",
        "Name",
        "Role",
        "Organisation",
        "Infl.",
        "Int.",
        "Engage",
        "Communication",
    ):
        table.add_column(header)
    for r in rows:
        table.add_row(
            r["id"],
            r["name"],
            r["role"] or "",
            r["organisation"] or "",
            str(r["influence"]),
            str(r["interest"]),
            r["quadrant"],
            f"{r['report']} report, {r['frequency']}, by {r['channel']}",
        )
    if not stdout.is_terminal:
        stdout.width = max(stdout.width, 160)  # piped output has no width to fit
    stdout.print(table)
    square = Table(title="Power/interest grid", show_lines=True, title_justify="left")
    square.add_column("")
    square.add_column("low interest")
    square.add_column("high interest")
    square.add_row(
        "high influence",
        ", ".join(grid["keep satisfied"]),
        ", ".join(grid["manage closely"]),
    )
    square.add_row("low influence", ", ".join(grid["monitor"]), ", ".join(grid["keep informed"]))
    stdout.print(square)
