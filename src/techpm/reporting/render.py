"""Render a status report as one self-contained file: HTML, PDF (from the same HTML through
WeasyPrint) or Markdown."""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from techpm.evm.metrics import GROWS_WORSE
from techpm.reporting.report_charts import gantt_svg, s_curve_svg
from techpm.reporting.report_model import StatusReport
from techpm.reporting.status import Measure

SUFFIXES = (".html", ".htm", ".pdf", ".md", ".markdown")  # what `render_report` renders

LABELS = {
    "finish_slip_days": "Finish slip against the baseline (working days)",
    "spi": "Schedule performance index (SPI)",
    "cpi": "Cost performance index (CPI)",
    "on_time_probability": "Chance of meeting the committed date",
    "open_high_risks": "Open high risks",
}
PERCENT = frozenset({"on_time_probability"})
EXECUTIVE_ROWS = 5  # milestones and risks on the one-page variant


def money(value: float | Decimal | None) -> str:
    return "–" if value is None else f"{float(value):,.0f}"


def index(value: float | None) -> str:
    """Three decimals, as `techpm evm` prints them."""
    return "–" if value is None else f"{value:.3f}"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def days(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:+.1f}" if value else "0"


def day(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def measure_value(measure: Measure) -> str:
    if measure.withheld:
        return "not shown"
    if measure.value is None:
        return "not measured"
    if measure.name in PERCENT:
        return percent(measure.value)
    if measure.name in ("spi", "cpi"):
        return index(measure.value)
    return f"{round(measure.value, 1):g}"


def limit(measure: Measure, threshold: float) -> str:
    return percent(threshold) if measure.name in PERCENT else f"{threshold:g}"


def reason(measure: Measure) -> str:
    """Why a measure has its rating, in words: "SPI 0.708 is below 0.9 (red)"."""
    label = LABELS.get(measure.name, measure.name)
    if measure.rating is None:
        return f"{label}: not measured"
    if measure.withheld:
        return f"{label} is {measure.rating} (its value is not shown in this edition)"
    worse = "above" if measure.name in GROWS_WORSE else "below"
    bound = measure.red if measure.rating == "red" else measure.amber
    if measure.rating == "green":
        return f"{label} {measure_value(measure)} is within {limit(measure, measure.amber)}"
    return f"{label} {measure_value(measure)} is {worse} {limit(measure, bound)}"


def summary(report: StatusReport) -> list[str]:
    """The executive summary, a few sentences built from the figures."""
    verdict = report.verdict
    because = "; ".join(reason(m) for m in verdict.reasons)
    lines = [
        f"Overall status is {verdict.overall.upper()}"
        + (f" because {because}." if because else ": every measured rule is within its limits.")
    ]
    finish = f"The forecast finish is {day(report.finish)}"
    if report.baseline_finish is not None and report.finish_slip_days is not None:
        finish += (
            f", {abs(report.finish_slip_days):g} working days "
            f"{'after' if report.finish_slip_days > 0 else 'before'} the baseline "
            f"'{report.baseline}' ({day(report.baseline_finish)})"
            if report.finish_slip_days
            else f", as in the baseline '{report.baseline}'"
        )
    if report.simulation is not None:
        finish += f"; 80 % likely by {day(report.simulation.finish['p80'])}"
    lines.append(finish + ".")
    if report.committed is not None and report.on_time_probability is not None:
        lines.append(
            f"The committed date {day(report.committed[1])} ({report.committed[0]}) is met in "
            f"{percent(report.on_time_probability)} of {report.simulation.iterations:,} "
            "simulated outcomes."
            if report.simulation
            else ""
        )
    if report.evm is not None:
        ev = report.evm.figures
        lines.append(
            f"As of {day(report.evm.status_date)}, {money(ev.ac)} {report.currency} spent for "
            f"{money(ev.ev)} earned against {money(ev.pv)} planned (SPI {index(ev.spi)}, "
            f"CPI {index(ev.cpi)}); estimate at completion {money(ev.eac['cpi'])} of a "
            f"{money(ev.bac)} budget."
        )
    high = [r for r in report.open_risks if r.rating == "high"]
    lines.append(
        f"{len(report.open_risks)} open risks, {len(high)} of them high."
        if report.risks
        else "No risks are registered."
    )
    return [line for line in lines if line]


def _environment(markdown: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("techpm.reporting", "templates"),
        autoescape=False if markdown else select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        money=money,
        index=index,
        percent=percent,
        days=days,
        day=day,
        cell=lambda text: str(text).replace("|", "\\|").replace("\n", " "),
    )
    env.globals.update(
        label=lambda name: LABELS.get(name, name),
        measure_value=measure_value,
        limit=limit,
        reason=reason,
    )
    return env


def _context(report: StatusReport, *, inline_svg: bool) -> dict[str, object]:
    gantt = gantt_svg(report) if report.gantt else None
    curve = s_curve_svg(report)
    if not inline_svg:  # Markdown: images as data URIs keep the file self-contained
        gantt = _data_uri(gantt)
        curve = _data_uri(curve)
    executive = report.audience == "executive"
    return {
        "r": report,
        "summary": summary(report),
        "executive": executive,
        "rows": EXECUTIVE_ROWS if executive else None,
        "gantt": gantt,
        "s_curve": curve,
    }


def _data_uri(svg: str | None) -> str | None:
    if svg is None:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_html(report: StatusReport, *, for_print: bool = False) -> str:
    context = _context(report, inline_svg=True)
    return _environment(False).get_template("status.html.j2").render(**context, for_print=for_print)


def render_markdown(report: StatusReport) -> str:
    return (
        _environment(True).get_template("status.md.j2").render(**_context(report, inline_svg=False))
    )


def render_pdf(report: StatusReport) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs a second HTML never needs

    pdf = HTML(string=render_html(report, for_print=True)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_report(report: StatusReport, output: Path) -> bytes:
    """The report as the output's extension asks: PDF, Markdown, else HTML."""
    suffix = output.suffix.lower()
    if suffix == ".pdf":
        return render_pdf(report)
    if suffix in (".md", ".markdown"):
        return render_markdown(report).encode("utf-8")
    return render_html(report).encode("utf-8")
