"""Editions of one status report: which audience, and whether it shows money.

People outside the organisation (a client, a vendor) get the schedule and the risks but no
budget, spend or cost index, unless the plan says they may see them.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from techpm.reporting.report_model import SimulationFigures, StatusReport
from techpm.reporting.status import StatusVerdict

COST_MEASURES = frozenset({"cpi"})  # status rules whose value is a cost figure


def edition(report: StatusReport, audience: str, *, costs: bool = True) -> StatusReport:
    """The report for one audience; `costs=False` removes every money figure."""
    shaped = replace(report, audience=audience)
    return shaped if costs else without_costs(shaped)


def without_costs(report: StatusReport) -> StatusReport:
    """Keep the overall rating (it is the project's status), withhold the cost measures'
    values, and drop earned value, simulated cost and risk cost exposure."""
    verdict = StatusVerdict(
        report.verdict.overall,
        tuple(
            replace(m, value=None, withheld=True) if m.name in COST_MEASURES else m
            for m in report.verdict.measures
        ),
    )
    simulation = report.simulation
    if simulation is not None:
        simulation = SimulationFigures(
            simulation.iterations, simulation.seed, simulation.finish, cost={}
        )
    return replace(
        report,
        verdict=verdict,
        evm=None,
        simulation=simulation,
        risks=tuple(replace(r, exposure_cost=Decimal(0)) for r in report.risks),
        shows_costs=False,
    )
