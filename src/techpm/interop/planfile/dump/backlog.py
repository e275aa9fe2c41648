"""The backlog parts of a plan (workflow, sprints, goals, ideas) as plan-file mappings."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from techpm.domain.idea import Idea
from techpm.domain.project import Project
from techpm.interop.planfile.dump.values import drop_none


def backlog_parts(project: Project) -> dict[str, Any]:
    flow = project.workflow
    return {
        "workflow": None
        if flow is None
        else {
            "states": list(flow.states),
            **{key: list(getattr(flow, key)) for key in ("done", "active", "blocked")},
        },
        "sprints": [
            drop_none(
                {
                    "id": s.id,
                    "name": s.name,
                    "start": s.start.isoformat(),
                    "finish": s.finish.isoformat(),
                    "capacity": s.capacity,
                    "team": list(s.team) or None,
                    "goal": s.goal,
                }
            )
            for s in project.sprints
        ],
        "goals": [drop_none(asdict(g)) for g in project.goals],
        "ideas": [_idea_entry(i) for i in project.ideas],
    }


def _idea_entry(idea: Idea) -> dict[str, Any]:
    entry = asdict(idea)
    entry["comments"] = [
        drop_none({**asdict(c), "at": c.at.isoformat() if c.at else None}) for c in idea.comments
    ]
    entry["tags"], entry["goals"] = list(idea.tags), list(idea.goals)
    entry["moscow"] = idea.moscow.value if idea.moscow else None
    entry["status"] = idea.status.value
    return drop_none(entry)
