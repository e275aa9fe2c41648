"""Charts of flow metrics, each as SVG (for reports) and PNG (for chat and mail): cumulative
flow, cycle-time scatter, throughput, velocity, work-item age and the current sprint's
burndown and burnup."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from techpm.flow.metrics import BurnDay, FlowMetrics
from techpm.reporting.charts import new_figure, save_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#eeca3b", "#b279a2")
LINE = "#333333"


def write_flow_charts(metrics: FlowMetrics, folder: Path) -> list[Path]:
    """Every chart the data allows, in `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    written += save_figure(cumulative_flow_chart(metrics), folder / "cumulative-flow")
    written += save_figure(cycle_time_chart(metrics), folder / "cycle-time")
    written += save_figure(throughput_chart(metrics), folder / "throughput")
    written += save_figure(velocity_chart(metrics), folder / "velocity")
    written += save_figure(wip_age_chart(metrics), folder / "wip-age")
    sprint = metrics.current_sprint
    if sprint is not None and metrics.burndown.get(sprint.id):
        chart = burn_chart(metrics.burndown[sprint.id], sprint.name, sprint.start, sprint.finish)
        written += save_figure(chart, folder / "burndown")
    return written


def _x(days: list[date]) -> list[float]:
    return [float(d.toordinal()) for d in days]


def _date_ticks(figure: Figure, days: list[date]) -> None:
    axis = figure.axes[0]
    if not days:
        return
    step = max(1, len(days) // 8)
    shown = days[::step]
    axis.set_xticks(_x(shown), labels=[d.isoformat() for d in shown])
    figure.autofmt_xdate()


def cumulative_flow_chart(metrics: FlowMetrics) -> Figure:
    """Stacked areas, finished work at the bottom and the backlog on top, as is usual."""
    cfd = metrics.cumulative_flow
    figure = new_figure(9, 4.5)
    axis = figure.subplots()
    days = list(cfd.days)
    order = list(range(len(cfd.states)))[::-1]
    if days:
        layers = [[row[k] for row in cfd.counts] for k in order]
        colours = [PALETTE[n % len(PALETTE)] for n in range(len(order))]
        axis.stackplot(
            _x(days), layers, labels=[cfd.states[k] for k in order], colors=colours, alpha=0.85
        )
        axis.legend(fontsize=8, loc="upper left", reverse=True)
    axis.set_ylabel("Items")
    axis.set_title(f"Cumulative flow to {metrics.as_of}")
    _date_ticks(figure, days)
    return figure


def cycle_time_chart(metrics: FlowMetrics) -> Figure:
    """Each finished item at its finish date and cycle time, with the percentile lines."""
    stats = metrics.cycle_time
    figure = new_figure(9, 4.5)
    axis = figure.subplots()
    days = list(stats.finished_on)
    axis.scatter(_x(days), [d for _, d in stats.items], color=PALETTE[0], s=16, zorder=3)
    for key, value in (("P50", stats.p50), ("P85", stats.p85), ("P95", stats.p95)):
        if value is not None:
            axis.axhline(value, color=LINE, linestyle="--", linewidth=0.8)
            axis.annotate(
                f"{key} {value:.1f} d",
                (0.0, value),
                xycoords=("axes fraction", "data"),
                va="bottom",
                fontsize=8,
            )
    axis.set_ylim(bottom=0)
    axis.set_ylabel("Cycle time (calendar days)")
    axis.set_title(f"Cycle time of {len(stats.items)} finished items")
    _date_ticks(figure, sorted(set(days)))
    return figure


def throughput_chart(metrics: FlowMetrics) -> Figure:
    figure = new_figure(9, 4.5)
    axis = figure.subplots()
    weeks = metrics.throughput
    axis.bar([w.week for w in weeks], [w.count for w in weeks], color=PALETTE[0])
    axis.set_ylabel("Items finished")
    axis.set_title("Throughput per week")
    if len(weeks) > 12:
        step = len(weeks) // 12 + 1
        axis.set_xticks(range(0, len(weeks), step), labels=[w.week for w in weeks][::step])
    axis.tick_params(axis="x", labelrotation=45)
    return figure


def velocity_chart(metrics: FlowMetrics) -> Figure:
    figure = new_figure(9, 4.5)
    axis = figure.subplots()
    rows = metrics.velocity
    axis.bar([r.sprint for r in rows], [r.points for r in rows], color=PALETTE[2])
    if rows:
        mean = sum(r.points for r in rows) / len(rows)
        axis.axhline(mean, color=LINE, linestyle="--", linewidth=0.8, label=f"Mean {mean:.1f}")
        axis.legend(fontsize=8)
    axis.set_ylabel("Points finished")
    axis.set_title("Velocity per sprint")
    return figure


def wip_age_chart(metrics: FlowMetrics) -> Figure:
    """Items in progress by state, at their age, against the cycle time's P85: an item
    above the line is older than most items were when they finished."""
    figure = new_figure(9, 4.5)
    axis = figure.subplots()
    states = [s for s in metrics.workflow.states if s in metrics.workflow.started_states]
    states += sorted({a.state for a in metrics.wip_age} - set(states))
    column = {state: n for n, state in enumerate(states)}
    ages = metrics.wip_age
    # a fixed spread within each column, so that items of the same age stay apart
    x = [column[a.state] + ((k % 9) - 4) * 0.05 for k, a in enumerate(ages)]
    axis.scatter(x, [a.days for a in ages], color=PALETTE[1], s=18, alpha=0.8, zorder=3)
    for k, age in enumerate(ages[: 15 if len(ages) <= 15 else 5]):  # the oldest, by name
        axis.annotate(
            age.id,
            (x[k], age.days),
            fontsize=7,
            xytext=(4, 0),
            textcoords="offset points",
        )
    p85 = metrics.cycle_time.p85
    if p85 is not None:
        axis.axhline(
            p85, color=LINE, linestyle="--", linewidth=0.8, label=f"Cycle time P85 {p85:.1f} d"
        )
        axis.legend(fontsize=8)
    axis.set_xticks(range(len(states)), labels=states)
    axis.set_xlim(-0.5, max(len(states), 1) - 0.5)
    axis.set_ylim(bottom=0)
    axis.set_ylabel("Age (calendar days since started)")
    axis.set_title(f"Work in progress as of {metrics.as_of}")
    return figure


def burn_chart(days: tuple[BurnDay, ...], name: str, start: date, finish: date) -> Figure:
    """Burndown (remaining against the ideal line to zero on the last day) beside burnup
    (completed against the scope)."""
    figure = new_figure(11, 4.5)
    down, up = figure.subplots(1, 2)
    x = _x([d.day for d in days])
    down.plot(x, [d.remaining for d in days], color=PALETTE[0], marker="o", label="Remaining")
    if days:
        down.plot(
            _x([start, finish]),
            [days[0].scope, 0.0],
            color=LINE,
            linestyle="--",
            linewidth=0.8,
            label="Ideal",
        )
    down.set_title(f"{name}: burndown")
    down.set_ylabel("Points")
    up.plot(x, [d.completed for d in days], color=PALETTE[2], marker="o", label="Completed")
    up.plot(x, [d.scope for d in days], color=PALETTE[3], label="Scope")
    up.set_title(f"{name}: burnup")
    span = [start, finish]
    for axis in (down, up):
        axis.set_xlim(start.toordinal() - 0.5, finish.toordinal() + 0.5)
        axis.set_xticks(_x(span), labels=[d.isoformat() for d in span])
        axis.legend(fontsize=8)
    return figure
