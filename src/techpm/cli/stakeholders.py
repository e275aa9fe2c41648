"""`techpm stakeholders`: the register and the power/interest grid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from techpm.cli.csv_out import emit_records
from techpm.cli.output import Format, emit_json, reporting_errors
from techpm.cli.schedule import FORMAT_OPT, PLAN_ARG
from techpm.cli.tables import WIDE_OPT, Cell, Column, show_table
from techpm.reporting.stakeholder_chart import write_power_interest_grid
from techpm.services.planning import load_plan

CSV_COLUMNS = ["id", "name", "role", "organisation", "interest", "influence", "quadrant"]
QUADRANTS = ("manage closely", "keep satisfied", "keep informed", "monitor")


def stakeholders(
    plan: Path = PLAN_ARG,
    format: Format = FORMAT_OPT,
    charts: Path | None = typer.Option(
        None, "--charts", help="Write the power/interest grid (SVG and PNG) to this folder."
    ),
    wide: bool = WIDE_OPT,
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
    if format is Format.csv:
        emit_records(rows, columns=CSV_COLUMNS)
        return
    columns = [
        Column("ID"),
        Column("Name", wrap=True),
        Column("Role", wrap=True, hide=2),
        Column("Organisation", wrap=True, hide=1),
        Column("Infl.", "right"),
        Column("Int.", "right"),
        Column("Engage", hide=3),
        Column("Communication", wrap=True, hide=4),
    ]
    cells: list[list[Cell]] = [
        [
            r["id"],
            r["name"],
            r["role"] or "",
            r["organisation"] or "",
            str(r["influence"]),
            str(r["interest"]),
            r["quadrant"],
            f"{r['report']} report, {r['frequency']}, by {r['channel']}",
        ]
        for r in rows
    ]
    show_table("Stakeholders, by influence", columns, cells, wide=wide)
    show_table(
        "Power/interest grid",
        [Column(""), Column("low interest", wrap=True), Column("high interest", wrap=True)],
        [
            [
                "high influence",
                ", ".join(grid["keep satisfied"]),
                ", ".join(grid["manage closely"]),
            ],
            ["low influence", ", ".join(grid["monitor"]), ", ".join(grid["keep informed"])],
        ],
        show_lines=True,
    )
