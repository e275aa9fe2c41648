"""`techpm evm`: earned value and earned schedule as of the status date."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from techpm.cli.csv_out import emit_records
from techpm.cli.output import Format, emit_json, fail, reporting_errors, stderr, stdout
from techpm.cli.schedule import (
    ENGINE_OPT,
    FORMAT_OPT,
    LEVEL_OPT,
    PLAN_ARG,
    TIME_LIMIT_OPT,
    Engine,
)
from techpm.cli.tables import print_table
from techpm.domain.errors import TechpmError
from techpm.reporting.charts import write_s_curve
from techpm.services.earned_value import plan_evm
from techpm.services.evm_history import read_history, record
from techpm.services.views_evm import evm_json, figures_json

__all__ = ["figures_json"]


def evm(
    plan: Path = PLAN_ARG,
    status_date: datetime | None = typer.Option(
        None, "--status-date", formats=["%Y-%m-%d"], help="Overrides the plan's status_date."
    ),
    baseline: str | None = typer.Option(None, "--baseline", help="Measure against it."),
    format: Format = FORMAT_OPT,
    charts: Path | None = typer.Option(
        None, "--charts", help="Write the S-curve (SVG and PNG) to this folder."
    ),
    record_it: bool = typer.Option(
        False, "--record", help="Keep this status date's EV and AC in the plan's record."
    ),
    level: bool | None = LEVEL_OPT,
    engine: Engine = ENGINE_OPT,
    time_limit: float = TIME_LIMIT_OPT,
) -> None:
    """Earned value (PV, EV, AC, SPI, CPI, EAC ...) and earned schedule as of a status date."""
    with reporting_errors():
        report = plan_evm(
            plan,
            status_date=status_date.date() if status_date else None,
            baseline=baseline,
            level=level,
            engine=engine.value,
            time_limit=time_limit,
        )
    try:
        history = read_history(plan)
    except TechpmError as error:  # a broken record only hides the measured periods
        if record_it:
            fail(error)  # never overwrite it: it may be all that is left of past measurements
        stderr.print(f"warning {error.code}: {error.message}; measured periods are not shown")
        history = {}
    if record_it:
        history[report.status_date] = (report.project.ev, report.project.ac)
        with reporting_errors():
            record(plan, report.status_date, report.project.ev, report.project.ac)
    data = evm_json(report, history)
    if charts is not None:
        ev = report.project
        write_s_curve(
            [(report.start, 0.0), *report.periods],
            report.status_date,
            ev.ev,
            ev.ac,
            ev.bac,
            ev.eac["cpi"],
            report.forecast_finish,
            charts,
        )
    if format is Format.json:
        emit_json(data)
        return
    if format is Format.csv:
        emit_records(scope_rows(data), columns=["scope", "status_date"])
        return
    table = Table(title=f"Earned value as of {report.status_date}", title_justify="left")
    table.add_column("Metric")
    table.add_column("Value", justify="right")
    for key in (
        "bac",
        "pv",
        "ev",
        "ac",
        "sv",
        "cv",
        "spi",
        "cpi",
        "etc",
        "vac",
        "tcpi_bac",
        "es",
        "sv_t",
        "spi_t",
        "ieac_t",
    ):
        value = data[key]
        table.add_row(key.upper(), "" if value is None else f"{value:,.3f}".rstrip("0").rstrip("."))
    for method, value in data["eac"].items():
        table.add_row(f"EAC ({method})", "" if value is None else f"{value:,.2f}")
    print_table(table)
    if report.forecast_finish:
        stdout.print(f"Forecast finish (earned schedule): {report.forecast_finish}", markup=False)
    for name, rating in data["ratings"].items():
        if rating["rating"] in ("amber", "red"):
            stdout.print(
                f"{name.upper()} {rating['value']} is {rating['rating']} "
                f"(amber at {rating['amber']}, red at {rating['red']})",
                markup=False,
            )


FIGURES = (
    *("bac", "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "etc", "vac", "tcpi_bac"),
    *("tcpi_eac", "es", "sv_t", "spi_t", "ieac_t"),
)


def scope_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per scope: the project, then each WBS branch and control account."""
    scopes = [("project", {k: v for k, v in data.items() if k in FIGURES})]
    scopes += [(f"wbs:{k}", v) for k, v in data["wbs"].items()]
    scopes += [(f"account:{k}", v) for k, v in data["control_accounts"].items()]
    return [
        {"scope": name, "status_date": data["status_date"], **figures} for name, figures in scopes
    ]
