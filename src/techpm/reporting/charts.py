"""Charts of a simulation: the finish histogram with its cumulative curve, and the tornado
of what drives the finish. Each is written as SVG (for reports) and PNG (for chat and mail)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from techpm.forecasting.summary import SimulationSummary

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def new_figure(width: float, height: float) -> Figure:
    """A bare Figure: it draws to files without pyplot's global state or a display, and
    matplotlib (slow to import) is loaded only when a chart is drawn."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def write_charts(
    summary: SimulationSummary, finish_days: npt.NDArray[np.float64], folder: Path
) -> list[Path]:
    """Histogram and tornado, each as .svg and .png, in `folder`; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    written += save_figure(_histogram(summary, finish_days), folder / "finish-histogram")
    written += save_figure(_tornado(summary), folder / "tornado")
    return written


def save_figure(figure: Figure, stem: Path) -> list[Path]:
    paths = [stem.with_suffix(".svg"), stem.with_suffix(".png")]
    for path in paths:
        figure.savefig(path, dpi=120, bbox_inches="tight")
    return paths


def _histogram(summary: SimulationSummary, days: npt.NDArray[np.float64]) -> Figure:
    # a bare Figure draws to files without pyplot's global state or a display
    figure = new_figure(8, 4.5)
    axis = figure.subplots()
    axis.hist(days, bins=60, color="#4c78a8", alpha=0.8)
    axis.set_xlabel("Finish (working days from the project start)")
    axis.set_ylabel("Iterations")
    cumulative = axis.twinx()
    ordered = np.sort(days)
    cumulative.plot(ordered, np.linspace(0, 100, len(ordered)), color="#e45756")
    cumulative.set_ylabel("Probability of finishing by (%)")
    cumulative.set_ylim(0, 100)
    for key in ("p50", "p80", "p95"):
        value = summary.finish_working_days[key]
        axis.axvline(value, color="#333333", linestyle="--", linewidth=0.8)
        axis.annotate(
            f"{key.upper()} {summary.finish[key]:%Y-%m-%d}",
            (value, axis.get_ylim()[1] * 0.95),
            rotation=90,
            va="top",
            ha="right",
            fontsize=8,
        )
    axis.set_title(f"Project finish, {summary.iterations:,} iterations")
    return figure


def _tornado(summary: SimulationSummary) -> Figure:
    """Tasks by the rank correlation of their duration with the finish; risks by how many
    working days they move the finish on average when they occur."""
    tasks = sorted(summary.tasks, key=lambda t: abs(t.sensitivity), reverse=True)[:10][::-1]
    risks = summary.risks[:10][::-1]
    rows = max(len(tasks), len(risks), 3)
    figure = new_figure(11, 0.4 * rows + 1.5)
    left, right = figure.subplots(1, 2)
    left.barh([t.id for t in tasks], [t.sensitivity for t in tasks], color="#4c78a8")
    left.set_xlabel("Rank correlation of duration with finish")
    left.set_title("Tasks")
    left.axvline(0, color="#333333", linewidth=0.8)
    right.barh([r.id for r in risks], [r.finish_delta_days for r in risks], color="#f58518")
    right.set_xlabel("Working days added to the finish when it occurs")
    right.set_title("Risks")
    figure.suptitle("What drives the finish")
    figure.tight_layout()
    return figure


def write_s_curve(
    periods: list[tuple[date, float]],
    status_date: date,
    ev: float,
    ac: float,
    bac: float,
    eac: float | None,
    forecast_finish: date | None,
    folder: Path,
) -> list[Path]:
    """The S-curve as s-curve.svg and .png in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    figure = s_curve(periods, status_date, ev, ac, bac, eac, forecast_finish)
    return save_figure(figure, folder / "s-curve")


def s_curve(
    periods: list[tuple[date, float]],
    status_date: date,
    ev: float,
    ac: float,
    bac: float,
    eac: float | None,
    forecast_finish: date | None,
) -> Figure:
    """Planned value over time, with earned value and actual cost at the status date and
    the forecast at completion."""
    figure = new_figure(8, 4.5)
    axis = figure.subplots()
    status = float(status_date.toordinal())
    axis.plot(
        [float(d.toordinal()) for d, _ in periods],
        [v for _, v in periods],
        label="Planned value (PV)",
    )
    axis.scatter([status], [ev], color="#54a24b", zorder=3, label=f"Earned value {ev:,.0f}")
    axis.scatter([status], [ac], color="#e45756", zorder=3, label=f"Actual cost {ac:,.0f}")
    axis.axhline(bac, color="#888888", linestyle=":", linewidth=0.8, label=f"BAC {bac:,.0f}")
    if eac is not None and forecast_finish is not None:
        axis.plot(
            [status, float(forecast_finish.toordinal())],
            [ac, eac],
            color="#e45756",
            linestyle="--",
            label=f"Forecast: EAC {eac:,.0f} by {forecast_finish}",
        )
    axis.axvline(status, color="#333333", linewidth=0.8)
    step = max(1, len(periods) // 7)
    ticks = periods[::step]
    axis.set_xticks(
        [float(d.toordinal()) for d, _ in ticks], labels=[d.isoformat() for d, _ in ticks]
    )
    axis.set_ylabel("Cost")
    axis.set_title(f"Earned value as of {status_date}")
    axis.legend(fontsize=8, loc="upper left")
    figure.autofmt_xdate()
    return figure
