"""The whole plan document of a Project: its parts in plan-file order and the task tree."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from techpm.domain.project import Project, ProjectInfo
from techpm.interop.planfile.dump.backlog import backlog_parts
from techpm.interop.planfile.dump.calendars import calendar_entry, resource_entry
from techpm.interop.planfile.dump.risks import correlation_entry, risk_entry
from techpm.interop.planfile.dump.tasks import nest, task_entries
from techpm.interop.planfile.dump.values import (
    drop_none,
    maybe_moment,
    money_number,
    plain_number,
)

PLAN_KEYS = (
    "project",
    "calendars",
    "resources",
    "procurement",
    "risks",
    "risk_matrix",
    "correlations",
    "stakeholders",
    "raci",
    "decisions",
    "asks",
    "workflow",
    "sprints",
    "goals",
    "ideas",
)


def plan_document(project: Project) -> dict[str, Any]:
    """The plan-file mapping of a project: loading it gives an equal Project."""
    document = plan_parts(project)
    entries = task_entries(project)
    document["tasks"] = nest([e for _, e in entries], [t.parent for t, _ in entries])
    return document


def plan_parts(project: Project) -> dict[str, Any]:
    units = project.units
    return {
        "project": _project_entry(project.info),
        "calendars": {cid: calendar_entry(spec) for cid, spec in project.calendars.items()},
        "resources": [resource_entry(r) for r in project.resources],
        "procurement": [
            drop_none(
                {
                    **asdict(item),
                    "quantity": plain_number(item.quantity),
                    "unit_cost": money_number(item.unit_cost),
                    "status": item.status.value,
                    **{
                        key: maybe_moment(getattr(item, key))
                        for key in ("order_date", "needed_by", "received")
                    },
                }
            )
            for item in project.procurement
        ],
        "risks": [risk_entry(risk, units) for risk in project.risks],
        "risk_matrix": {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in asdict(project.risk_matrix).items()
        },
        "correlations": [correlation_entry(c.tasks, c.matrix) for c in project.correlations],
        "stakeholders": [drop_none(asdict(s)) for s in project.stakeholders],
        "raci": [
            {
                "task": r.task,
                **{role: list(ids) for role, ids in r.parties().items() if ids},
                **({"accountable": r.accountable[0]} if len(r.accountable) == 1 else {}),
            }
            for r in project.raci
        ],
        "decisions": list(project.decisions),
        "asks": list(project.asks),
        **backlog_parts(project),
    }


def _project_entry(info: ProjectInfo) -> dict[str, Any]:
    defaults = ProjectInfo("", date.min)
    entry: dict[str, Any] = {
        "name": info.name,
        "start": info.start.isoformat(),
        "calendar": info.calendar,
        "currency": info.currency,
        "description": info.description,
        "manager": info.manager,
        "priority": info.priority if info.priority != defaults.priority else None,
        "contingency": money_number(info.contingency) or None,
        "management_reserve": money_number(info.management_reserve) or None,
        "status_date": info.status_date.isoformat() if info.status_date else None,
        "prioritization": info.prioritization
        if info.prioritization != defaults.prioritization
        else None,
        "level": True if info.level else None,
    }
    for field in ("thresholds", "status_rules"):
        given = {
            name: {"amber": amber, "red": red}
            for name, amber, red in getattr(info, field)
            if (name, amber, red) not in getattr(defaults, field)
        }
        entry[field] = given or None
    return drop_none(entry)
