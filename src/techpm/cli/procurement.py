"""`techpm procurement`: order-by dates, and what is late."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from rich.table import Table

from techpm.cli.output import Format, emit_json, reporting_errors, stdout
from techpm.cli.schedule import FORMAT_OPT, PLAN_ARG
from techpm.services.procurement import plan_procurement


def procurement(plan: Path = PLAN_ARG, format: Format = FORMAT_OPT) -> None:
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
    table = Table(title="Procurement, by order-by date", title_justify="left")
    for header in (
        "ID",
        "Item",
        "Status",
        "Cost",
        "Lead",
        "Needed by",
        "Order by",
        "Expected",
        "Gates",
        "",
    ):
        table.add_column(header)
    for row in rows:
        flags = []
        if row["late_to_order"]:
            flags.append("[red]order now: late[/]")
        if row["delays_plan"]:
            flags.append("[yellow]arrives after it is needed[/]")
        table.add_row(
            row["id"],
            row["name"],
            row["status"],
            row["cost"],
            f"{row['lead_time_days']}d",
            row["needed_by"] or "",
            row["order_by"] or "",
            row["expected"],
            ", ".join(row["tasks"]),
            "; ".join(flags),
        )
    if not stdout.is_terminal:
        stdout.width = max(stdout.width, 180)  # piped output has no width to fit
    stdout.print(table)
