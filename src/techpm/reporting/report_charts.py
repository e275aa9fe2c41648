"""The status report's charts as SVG text to inline: the Gantt chart of the top WBS levels
and the earned-value S-curve."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from techpm.reporting.charts import s_curve
from techpm.reporting.report_model import StatusReport

CRITICAL = "#d62728"
NORMAL = "#4c78a8"
SUMMARY = "#33415c"
BASELINE = "#b0b0b0"
_PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)


def figure_svg(figure: Figure, name: str) -> str:
    """SVG to place inside HTML: text stays text (small, searchable), no XML prolog, and ids
    salted with the chart's name so that two charts on one page never share an id; no date
    in the metadata, so the same report renders to the same bytes."""
    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": name}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return _PROLOG.sub("", buffer.getvalue(), count=1)


def gantt_svg(report: StatusReport) -> str:
    rows = report.gantt
    height = 0.28 * len(rows) + 1.2
    figure = Figure(figsize=(10, height))
    axis = figure.subplots()
    labels = []
    for y, item in enumerate(rows):
        row = item.row
        start, finish = _num(row.start), _num(row.finish)
        colour = CRITICAL if row.critical else (SUMMARY if row.summary else NORMAL)
        if item.baseline is not None:
            b_start, b_finish = (_num(moment) for moment in item.baseline)
            axis.barh(
                y + 0.3, max(b_finish - b_start, 0.3), left=b_start, height=0.15, color=BASELINE
            )
        if row.milestone:
            axis.scatter([finish], [y], marker="D", s=40, color=colour, zorder=3)
        else:
            axis.barh(
                y,
                max(finish - start, 0.3),
                left=start,
                height=0.55 if row.summary else 0.4,
                color=colour,
            )
        indent = "  " * (row.level - 1)
        name = row.name if len(row.name) <= 40 else row.name[:39] + "…"
        labels.append(f"{indent}{row.wbs} {name}")
    axis.set_yticks(range(len(rows)), labels=labels, fontsize=7)
    axis.set_ylim(len(rows) - 0.4, -0.6)
    first = min(item.row.start for item in rows).date()
    last = max(item.row.finish for item in rows).date()
    step = max(7, ((last - first).days // 8) // 7 * 7)
    ticks = [first + timedelta(days=k) for k in range(0, (last - first).days + 1, step)]
    axis.set_xticks([_num(t) for t in ticks], labels=[t.isoformat() for t in ticks])
    axis.tick_params(axis="x", labelsize=7)
    if report.status_date is not None:
        axis.axvline(_num(report.status_date), color="#333333", linewidth=0.8, linestyle="--")
    axis.grid(axis="x", color="#e0e0e0", linewidth=0.5)
    axis.set_axisbelow(True)
    legend = [
        Line2D([0], [0], color=CRITICAL, linewidth=6, label="critical"),
        Line2D([0], [0], color=NORMAL, linewidth=6, label="task"),
        Line2D([0], [0], color=SUMMARY, linewidth=6, label="summary"),
    ]
    if any(item.baseline for item in rows):
        legend.append(Line2D([0], [0], color=BASELINE, linewidth=3, label="baseline"))
    axis.legend(handles=legend, fontsize=7, loc="lower left", ncols=len(legend))
    figure.autofmt_xdate()
    if report.gantt_hidden:
        figure.text(
            0.01,
            0.0,
            f"{report.gantt_hidden:,} more tasks in the full list (techpm schedule)",
            fontsize=7,
            va="top",
        )
    return figure_svg(figure, "gantt")


def _num(moment: date | datetime) -> float:
    """Days on the same axis as the S-curve's (proleptic ordinals), with the time of day."""
    if isinstance(moment, datetime):
        return moment.toordinal() + (moment.hour * 60 + moment.minute) / 1440
    return float(moment.toordinal())


def s_curve_svg(report: StatusReport) -> str | None:
    if report.evm is None:
        return None
    ev = report.evm.figures
    figure = s_curve(
        report.evm.periods,
        report.evm.status_date,
        ev.ev,
        ev.ac,
        ev.bac,
        ev.eac["cpi"],
        report.evm.forecast_finish,
    )
    return figure_svg(figure, "s-curve")
