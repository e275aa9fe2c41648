"""Events worth a notification: a milestone slips, a high risk is raised, a measure turns
red. Each is found by comparing the report with the state kept after the last notice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from techpm.evm.metrics import GROWS_WORSE
from techpm.reporting.editions import COST_MEASURES
from techpm.reporting.render import LABELS, limit, measure_value
from techpm.reporting.report_model import StatusReport


@dataclass(frozen=True)
class Alert:
    key: str  # stable: the same event is never announced twice to one target
    kind: str  # "milestone_slipped", "high_risk_raised" or "metric_red"
    text: str
    severity: str  # "amber" or "red"
    cost: bool = False  # a cost figure: not sent to people who see no money


def alert_state(report: StatusReport) -> dict[str, Any]:
    """What the next run compares with."""
    return {
        "milestones": {m.id: m.forecast.isoformat() for m in report.milestones},
        "high_risks": sorted(r.id for r in report.open_risks if r.rating == "high"),
        "ratings": {m.name: m.rating for m in report.verdict.measures},
    }


def detect_alerts(report: StatusReport, previous: dict[str, Any] | None) -> list[Alert]:
    """Without a previous state, slips are measured against the baseline, and every open
    high risk and red measure is news."""
    alerts = []
    then_dates: dict[str, str] = previous["milestones"] if previous else {}
    for m in report.milestones:
        if previous:
            before = then_dates.get(m.id)
        else:
            before = m.baseline.isoformat() if m.baseline else None
        if before is None or m.forecast.isoformat() <= before:
            continue
        overdue = m.deadline is not None and m.forecast > m.deadline
        alerts.append(
            Alert(
                key=f"milestone:{m.id}:{m.forecast.isoformat()}",
                kind="milestone_slipped",
                text=f"Milestone {m.name} ({m.id}) slipped from {before} to "
                f"{m.forecast.isoformat()}"
                + (f", past its deadline {m.deadline}" if overdue else ""),
                severity="red" if overdue else "amber",
            )
        )
    then_high = set(previous["high_risks"]) if previous else set()
    for risk in report.open_risks:
        if risk.rating == "high" and risk.id not in then_high:
            alerts.append(
                Alert(
                    key=f"risk:{risk.id}",
                    kind="high_risk_raised",
                    text=f"High risk raised: {risk.id} {risk.title} (score {risk.score}, "
                    f"owner {risk.owner or 'none'})",
                    severity="red",
                )
            )
    then_ratings: dict[str, str | None] = previous["ratings"] if previous else {}
    stamp = (report.status_date or report.generated_at.date()).isoformat()
    for measure in report.verdict.measures:
        if measure.rating == "red" and then_ratings.get(measure.name) != "red":
            worse = "above" if measure.name in GROWS_WORSE else "below"
            alerts.append(
                Alert(
                    key=f"red:{measure.name}:{stamp}",
                    kind="metric_red",
                    text=f"{LABELS.get(measure.name, measure.name)} turned red: "
                    f"{measure_value(measure)} (red {worse} {limit(measure, measure.red)})",
                    severity="red",
                    cost=measure.name in COST_MEASURES,
                )
            )
    return alerts
