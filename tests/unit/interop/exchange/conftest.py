"""Fixtures: the rich plan as a file and as a schedule."""

from __future__ import annotations

from pathlib import Path

import pytest

from techpm.scheduling.result import Schedule
from techpm.services.planning import schedule_plan

from .plans import RICH_PLAN


@pytest.fixture
def rich_plan(tmp_path: Path) -> Path:
    path = tmp_path / "rich.yaml"
    path.write_text(RICH_PLAN, encoding="utf-8")
    return path


@pytest.fixture
def rich(rich_plan: Path) -> Schedule:
    return schedule_plan(rich_plan)
