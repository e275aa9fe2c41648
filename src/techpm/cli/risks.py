"""`techpm risks`: the register by exposure, and the probability-impact matrix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from techpm.cli.csv_out import emit_records
from techpm.cli.output import Format, emit_json, number, reporting_errors, stdout
from techpm.cli.schedule import FORMAT_OPT, PLAN_ARG
from techpm.cli.tables import WIDE_OPT, Cell, Column, show_table, text
from techpm.forecasting.register import Assessment, rating
from techpm.services.risks import risk_register

COLOURS = {"high": "red", "medium": "yellow", "low": "green"}
CSV_COLUMNS = ["id", "title", "owner", "category", "status", "probability", "delay_days", "cost"]


def risks(plan: Path = PLAN_ARG, format: Format = FORMAT_OPT, wide: bool = WIDE_OPT) -> None:
    """List the risk register sorted by exposure, and print the 5x5 probability-impact matrix."""
    with reporting_errors():
        project, assessed = risk_register(plan)
    if format is Format.json:
        emit_json({"risks": [_row(a) for a in assessed], "matrix": _matrix(assessed)})
        return
    if format is Format.csv:
        emit_records([_row(a) for a in assessed], columns=CSV_COLUMNS)
        return
    if not assessed:
        stdout.print("No risks in this plan (add a `risks:` list).")
        return
    currency = project.info.currency
    columns = [
        Column("ID"),
        Column("Risk", wrap=True),
        Column("Owner", hide=3),
        Column("Status", hide=4),
        Column("P", "right"),
        Column("Delay", "right", hide=5),
        Column("Cost", hide=2),
        Column("Exposure"),
        Column("Score", "right"),
        Column("Response", hide=1),
        Column("Residual", hide=1),
    ]
    rows: list[list[Cell]] = []
    for a in assessed:
        response = a.risk.response
        rows.append(
            [
                a.risk.id,
                a.risk.title,
                a.risk.owner or "",
                a.risk.status.value,
                f"{a.risk.probability:.0%}",
                f"{a.delay_days:.1f}d",
                f"{a.cost:,.0f} {currency}",
                f"{a.exposure_days:.1f}d, {a.exposure_cost:,.0f} {currency}",
                text(f"{a.score} {a.rating}", COLOURS[a.rating]),
                response.strategy.value if response else "",
                f"{a.residual_score}" if response else "",
            ]
        )
    show_table("Risk register, by exposure", columns, rows, wide=wide)
    cells = _matrix(assessed)
    grid: list[list[Cell]] = []
    for p_level in range(5, 0, -1):
        row: list[Cell] = [str(p_level)]
        for i_level in range(1, 6):
            ids = cells[f"{p_level},{i_level}"]
            colour = COLOURS[rating(project.risk_matrix, p_level * i_level)]
            row.append(text(", ".join(ids) or "·", colour))
        grid.append(row)
    show_table(
        "Probability (rows) x impact (columns)",
        [Column("P \\ I", "center"), *(Column(str(i), "center", wrap=True) for i in range(1, 6))],
        grid,
        show_lines=True,
    )


def _row(a: Assessment) -> dict[str, Any]:
    response = a.risk.response
    return {
        "id": a.risk.id,
        "title": a.risk.title,
        "owner": a.risk.owner,
        "category": a.risk.category,
        "status": a.risk.status.value,
        "probability": a.risk.probability,
        "delay_days": number(a.delay_days),
        "cost": str(a.cost),
        "exposure_days": number(a.exposure_days),
        "exposure_cost": str(a.exposure_cost),
        "probability_level": a.probability_level,
        "impact_level": a.impact_level,
        "score": a.score,
        "rating": a.rating,
        "response": None
        if response is None
        else {
            "strategy": response.strategy.value,
            "actions": list(response.actions),
            "cost": str(response.cost),
            "residual_probability": response.residual_probability,
        },
        "residual_exposure_days": number(a.residual_exposure_days),
        "residual_exposure_cost": str(a.residual_exposure_cost),
        "residual_score": a.residual_score,
    }


def _matrix(assessed: list[Assessment]) -> dict[str, list[str]]:
    """'probability level,impact level' -> ids of the open risks in that cell."""
    cells: dict[str, list[str]] = {f"{p},{i}": [] for p in range(1, 6) for i in range(1, 6)}
    for a in assessed:
        if a.risk.status.value != "closed" and a.probability_level:
            cells[f"{a.probability_level},{a.impact_level}"].append(a.risk.id)
    return cells
