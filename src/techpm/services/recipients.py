"""Who gets which report, and who is due one now.

Each stakeholder reached by e-mail gets the edition and the cadence of the communication
plan; addresses given on the command line or in the settings get the report on every run.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from techpm.reporting.report_model import StatusReport

CADENCE_DAYS = {"daily": 1, "weekly": 7, "biweekly": 14}


@dataclass(frozen=True)
class Addressee:
    address: str
    edition: str  # executive or team
    costs: bool  # whether their report shows money
    cadence: str | None  # None: on every run (addresses given, not taken from the plan)
    who: str  # the stakeholder's name, or the address


def addressees(
    report: StatusReport, given: tuple[str, ...], audience: str | None
) -> list[Addressee]:
    """`given` (from `--to` or the settings) wins over the communication plan."""
    if given:
        edition = audience or report.audience
        return [Addressee(a, edition, True, None, a) for a in dict.fromkeys(given)]
    seen: dict[str, Addressee] = {}
    for person in report.communication:
        if person.email and person.channel == "email" and person.email not in seen:
            seen[person.email] = Addressee(
                person.email,
                audience or person.audience,
                person.shows_costs,
                person.cadence,
                person.name,
            )
    return list(seen.values())


def add_month(day: date) -> date:
    """The same day next month, or that month's last day (31 January -> 28 February)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def finished_milestones(report: StatusReport) -> list[str]:
    return sorted(m.id for m in report.milestones if m.finished)


def due(
    person: Addressee, record: dict[str, Any] | None, today: date, report: StatusReport
) -> str | None:
    """None when the person is due a report now, else why not (for the dry run's list).

    `milestone`: due when a milestone was reached that the last report did not show done.
    """
    if person.cadence is None or not record or "last_sent" not in record:
        return None
    last = date.fromisoformat(record["last_sent"])
    if person.cadence == "milestone":
        if set(finished_milestones(report)) - set(record.get("milestones", [])):
            return None
        return f"at milestones; no milestone reached since {last.isoformat()}"
    if person.cadence == "monthly":
        next_on = add_month(last)
    else:
        next_on = last + timedelta(days=CADENCE_DAYS.get(person.cadence, 7))
    if today >= next_on:
        return None
    return f"{person.cadence}, last sent {last.isoformat()}, next on {next_on.isoformat()}"
