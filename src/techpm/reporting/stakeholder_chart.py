"""The power/interest grid as a chart: where each stakeholder sits and how to engage them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from techpm.domain.stakeholder import HIGH, Stakeholder
from techpm.reporting.charts import new_figure, save_figure


def write_power_interest_grid(people: tuple[Stakeholder, ...], folder: Path) -> list[Path]:
    """`power-interest.svg` and `.png` in `folder`; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    figure = new_figure(6, 6)
    axis = figure.subplots()
    edge = HIGH - 0.5
    axis.axvline(edge, color="#888888", linewidth=0.8)
    axis.axhline(edge, color="#888888", linewidth=0.8)
    for x, y, label in (
        (1.0, 5.4, "keep satisfied"),
        (edge + 0.1, 5.4, "manage closely"),
        (1.0, 0.6, "monitor"),
        (edge + 0.1, 0.6, "keep informed"),
    ):
        axis.text(x, y, label, fontsize=9, color="#555555", style="italic")
    seen: Counter[tuple[int, int]] = Counter()
    for person in people:
        spot = (person.interest, person.influence)
        shift = 0.12 * seen[spot]  # people on the same score side by side, not on top
        seen[spot] += 1
        axis.scatter([spot[0] + shift], [spot[1] - shift], color="#4c78a8", zorder=3)
        axis.annotate(
            person.name,
            (spot[0] + shift, spot[1] - shift),
            textcoords="offset points",
            xytext=(6, 4),
            fontsize=8,
        )
    axis.set_xlim(0.5, 5.8)
    axis.set_ylim(0.4, 5.7)
    axis.set_xlabel("Interest")
    axis.set_ylabel("Influence")
    axis.set_title("Stakeholders: power/interest grid")
    return save_figure(figure, folder / "power-interest")
