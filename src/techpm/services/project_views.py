"""The computed views of a project, each a pure function from a domain `Project` (and its
options) to `(bytes, media_type)`: exactly what the CLI prints with `--format json`, so the
server's computed endpoints and the CLI agree byte for byte. Grouped by noun in `views_*`."""

from __future__ import annotations

from techpm.services.views_budget import budget_view, workload_view
from techpm.services.views_evm import evm_view
from techpm.services.views_forecast import forecast_view
from techpm.services.views_report import REPORT_MEDIA, ReportOptionError, report_view
from techpm.services.views_schedule import UnknownEngineError, explain_view, schedule_view

__all__ = [
    "REPORT_MEDIA",
    "ReportOptionError",
    "UnknownEngineError",
    "budget_view",
    "evm_view",
    "explain_view",
    "forecast_view",
    "report_view",
    "schedule_view",
    "workload_view",
]
