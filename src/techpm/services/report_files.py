"""Write a rendered status report to its file, the one way techpm writes files."""

from __future__ import annotations

from pathlib import Path

from techpm.interop.safe_write import write_file
from techpm.reporting.render import render_report
from techpm.reporting.report_model import StatusReport


def write_report(report: StatusReport, output: Path) -> None:
    """Render first, then replace the file in one step: a failed render or write never
    leaves half a report, nor destroys the previous one."""
    write_file(output, render_report(report, output))
