"""Iterations (sprints): a time box, and who works in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Sprint:
    id: str
    name: str
    start: date
    finish: date  # the last day of the sprint, included
    capacity: float | None = None  # story points, when the team states it; else derived
    team: tuple[str, ...] = ()  # resource ids; default every person
    goal: str | None = None
