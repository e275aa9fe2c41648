"""The risk register of a plan, assessed."""

from __future__ import annotations

from pathlib import Path

from techpm.domain.project import Project
from techpm.forecasting.register import Assessment, assess
from techpm.services.planning import load_plan


def risk_register(plan: str | Path) -> tuple[Project, list[Assessment]]:
    project = load_plan(plan)
    return project, assess(project)
