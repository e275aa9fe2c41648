"""The status report `techpm report` writes, rendered from a plan already read: HTML, PDF
(WeasyPrint, from the same HTML) or Markdown. The CLI and the server's report endpoint build
it with the same `schedule_report`, so both show the same figures for the same plan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from techpm.domain.errors import TechpmError
from techpm.domain.project import Project
from techpm.reporting.render import render_html, render_markdown, render_pdf
from techpm.reporting.report_model import StatusReport
from techpm.services.planning import schedule_loaded
from techpm.services.status_reporting import schedule_report

REPORT_MEDIA = {"html": "text/html", "pdf": "application/pdf", "md": "text/markdown"}
AUDIENCES = ("team", "executive")


class ReportOptionError(TechpmError):
    code = "report.format"


def report_view(
    project: Project,
    *,
    format: str = "html",
    audience: str = "team",
    baseline: str | None = None,
    saved: dict[str, Any] | None = None,
    iterations: int = 2000,
    seed: int | None = None,
    level: bool | None = None,
    now: datetime,
) -> tuple[bytes, str]:
    """`techpm report PLAN -o status.<format>` with the baseline `saved` under the name
    `baseline` (None: reported without one) and no earlier snapshot to list changes since."""
    media = REPORT_MEDIA.get(format)
    if media is None:
        raise ReportOptionError(f"unknown report format {format!r}: use html, pdf or md")
    if audience not in AUDIENCES:
        raise ReportOptionError(
            f"unknown audience {audience!r}: use team or executive", code="report.bad_audience"
        )
    report, _ = schedule_report(
        schedule_loaded(project, level=level),
        audience=audience,
        baseline=baseline if saved is not None else None,
        saved=saved,
        iterations=iterations,
        seed=seed,
        now=now,
    )
    return rendered(report, format), media


def rendered(report: StatusReport, format: str) -> bytes:
    """The report's bytes as `render_report` writes them for a file of that kind."""
    if format == "pdf":
        return render_pdf(report)
    if format == "md":
        return render_markdown(report).encode("utf-8")
    return render_html(report).encode("utf-8")
