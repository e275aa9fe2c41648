"""`techpm procurement`: order-by dates, and what is late."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text

from techpm.cli.csv_out import emit_records
from techpm.cli.output import Format, emit_json, reporting_errors
from techpm.cli.schedule import FORMAT_OPT, PLAN_ARG
from techpm.cli.tables import WIDE_OPT, Cell, Column, show_table
from techpm.services.procurement import plan_procurement

CSV_COLUMNS = ["id", "name", "kind", "vendor", "status", "cost", "lead_time_days", "tasks"]
CSV_COLUMNS += ["needed_by", "order_by", "expected", "late_to_order", "delays_plan"]


def procurement(plan: Path = PLAN_ARG, format: Format = FORMAT_OPT, wide: bool = WIDE_OPT) -> None:
    """Items to procure: when each must be ordered to keep the schedule, and which are late."""
    with reporting_errors():
        items = plan_procurement(plan, today=date.today())
    rows: list[dict[str, Any]] = [
        {
            "id": p.item.id,
            "name": p.item.name,
            "kind": p.item.kind,
            "vendor": p.item.vendor,
            "status": p.item.status.value,
            "cost": str(p.cost),
            "lead_time_days": p.item.lead_time_days,
            "tasks": list(p.tasks),
            "needed_by": p.needed_by.isoformat() if p.needed_by else None,
            "order_by": p.order_by.isoformat() if p.order_by else None,
            "expected": p.expected.isoformat(),
            "late_to_order": p.late_to_order,
            "delays_plan": p.delays_plan,
        }
        for p in items
    ]
    if format is Format.json:
        emit_json({"items": rows})
        return
    if format is Format.csv:
        emit_records(rows, columns=CSV_COLUMNS)
        return
    columns = [
        Column("ID"),
        Column("Item", wrap=True),
        Column("Status", hide=3),
        Column("Cost", "right", hide=4),
        Column("Lead", "right", hide=2),
        Column("Needed by"),
        Column("Order by"),
        Column("Expected", hide=1),
        Column("Gates", wrap=True, hide=1),
        Column("", wrap=True),
    ]
    cells: list[list[Cell]] = []
    for row in rows:
        flags = Text()
        if row["late_to_order"]:
            flags.append("order now: late", "red")
        if row["delays_plan"]:
            flags.append("; " if flags else "")
            flags.append("arrives after it is needed", "yellow")
        cells.append(
            [
                row["id"],
                row["name"],
                row["status"],
                row["cost"],
                f"{row['lead_time_days']}d",
                row["needed_by"] or "",
                row["order_by"] or "",
                row["expected"],
                ", ".join(row["tasks"]),
                flags,
            ]
        )
    show_table("Procurement, by order-by date", columns, cells, wide=wide)
