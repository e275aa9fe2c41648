"""Earned value as the JSON document `techpm evm --format json` prints. The baseline and the
earned value record come in as data (files for the CLI, rows on the server)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from techpm.domain.project import Project
from techpm.evm.metrics import EarnedValue, rate
from techpm.services.earned_value import EvmReport, plan_evm
from techpm.services.evm_history import measured_by
from techpm.services.planning import schedule_plan
from techpm.services.views_schedule import JSON, json_bytes, level_engine, number

History = Mapping[date, tuple[float, float]]  # status date -> (EV, AC) measured then


def evm_view(
    project: Project,
    *,
    status_date: date | None,
    baseline: dict[str, Any] | None,
    history: History | None = None,
    level: bool | None = None,
    engine: str = "auto",
    time_limit: float = 5.0,
) -> tuple[bytes, str]:
    """`techpm evm PLAN --format json [--baseline NAME]`; `baseline` is the saved snapshot
    (`techpm.evm.baseline.snapshot`), named by its own `name`."""
    chosen = level_engine(engine)
    result = schedule_plan(project, level=level, engine=chosen, time_limit=time_limit)
    report = plan_evm(
        result,
        status_date=status_date,
        baseline=None if baseline is None else str(baseline["name"]),
        saved=baseline,
        engine=chosen,
        time_limit=time_limit,
    )
    return json_bytes(evm_json(report, history or {})), JSON


def evm_json(report: EvmReport, history: History) -> dict[str, Any]:
    data = figures_json(report.project)
    data["status_date"] = report.status_date.isoformat()
    data["baseline"] = report.baseline
    data["forecast_finish"] = report.forecast_finish.isoformat() if report.forecast_finish else None
    data["periods"] = []
    for end, pv in report.periods:
        row: dict[str, Any] = {"end": end.isoformat(), "pv": round(pv, 2)}
        # weeks up to the one holding the status date show what had been measured by then
        week_started = end - timedelta(days=6)
        measured = measured_by(dict(history), end) if week_started <= report.status_date else None
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
    return data


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
