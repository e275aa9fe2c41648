"""The overall red/amber/green of a status report, and the measures that made it so."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from techpm.evm.metrics import rate

ORDER = {"green": 0, "amber": 1, "red": 2}


@dataclass(frozen=True)
class Measure:
    name: str
    value: float | None  # None: not measured (no baseline, no simulation ...)
    amber: float
    red: float
    rating: str | None
    withheld: bool = False  # rated, but its value is not shown in this edition


@dataclass(frozen=True)
class StatusVerdict:
    overall: str  # the worst rating of the measured rules
    measures: tuple[Measure, ...]

    @property
    def reasons(self) -> list[Measure]:
        """The measures that set the overall rating, for the summary's "because"."""
        return [m for m in self.measures if m.rating == self.overall and m.rating != "green"]


def overall_status(
    values: Mapping[str, float | None], rules: tuple[tuple[str, float, float], ...]
) -> StatusVerdict:
    """Rate each rule's measure and take the worst: one red measure makes the project red."""
    measures = tuple(
        Measure(
            name,
            values.get(name),
            amber,
            red,
            rate(name, values.get(name), amber, red),
        )
        for name, amber, red in rules
    )
    rated = [m.rating for m in measures if m.rating is not None]
    overall = max(rated, key=ORDER.__getitem__) if rated else "green"
    return StatusVerdict(overall, measures)
