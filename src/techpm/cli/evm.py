"""`techpm evm`: earned value and earned schedule as of the status date."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from techpm.cli.csv_out import emit_records
from techpm.cli.output import Format, emit_json, fail, number, reporting_errors, stderr, stdout
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
from techpm.evm.metrics import EarnedValue, rate
from techpm.reporting.charts import write_s_curve
from techpm.services.earned_value import plan_evm
from techpm.services.evm_history import measured_by, read_history, record


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
    data = figures_json(report.project)
    data["status_date"] = report.status_date.isoformat()
    data["baseline"] = report.baseline
    data["forecast_finish"] = report.forecast_finish.isoformat() if report.forecast_finish else None
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
    data["periods"] = []
    for end, pv in report.periods:
        row: dict[str, Any] = {"end": end.isoformat(), "pv": round(pv, 2)}
        # weeks up to the one holding the status date show what had been measured by then
        week_started = end - timedelta(days=6)
        measured = measured_by(history, end) if week_started <= report.status_date else None
        if measured is not None:
            row["ev"], row["ac"] = round(measured[0], 2), round(measured[1], 2)
        data["periods"].append(row)
    data["wbs"] = {k: figures_json(v) for k, v in report.wbs.items()}
    data["control_accounts"] = {k: figures_json(v) for k, v in report.accounts.items()}
    data["ratings"] = {
        name: {
            "value": data[name],
            "amber": amber,
            "red": red,
            "rating": rate(name, data[name], amber, red),
        }
        for name, amber, red in report.thresholds
    }
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


def figures_json(ev: EarnedValue) -> dict[str, Any]:
    def n(value: float | None) -> float | int | None:
        return None if value is None else number(value)

    return {
        "bac": n(ev.bac),
        "pv": n(ev.pv),
        "ev": n(ev.ev),
        "ac": n(ev.ac),
        "sv": n(ev.sv),
        "cv": n(ev.cv),
        "spi": n(ev.spi),
        "cpi": n(ev.cpi),
        "eac": {k: n(v) for k, v in ev.eac.items()},
        "etc": n(ev.etc),
        "vac": n(ev.vac),
        "tcpi_bac": n(ev.tcpi_bac),
        "tcpi_eac": n(ev.tcpi_eac),
        "es": n(ev.es),
        "sv_t": n(ev.sv_t),
        "spi_t": n(ev.spi_t),
        "ieac_t": n(ev.ieac_t),
    }
