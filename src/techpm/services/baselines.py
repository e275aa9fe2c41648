"""Named baselines kept as JSON files next to the plan, and variance against them."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from techpm.domain.errors import PlanFileError, TechpmError
from techpm.evm.baseline import Variance, snapshot, variance
from techpm.interop.safe_write import write_file
from techpm.services.planning import LevelEngine, schedule_plan

_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class BaselineError(TechpmError):
    code = "baseline.invalid"


def checked_name(name: str) -> str:
    if not _NAME.match(name):
        raise BaselineError(f"baseline name {name!r}: use letters, digits, _ . - (64 at most)")
    return name


def baseline_path(plan: Path, name: str) -> Path:
    checked_name(name)
    return plan.with_name(f"{plan.stem}.baseline.{name}.json")


def save_baseline(
    plan: str | Path,
    name: str,
    *,
    now: datetime,
    force: bool = False,
    level: bool | None = None,
    engine: LevelEngine = "auto",
    time_limit: float = 5.0,
) -> Path:
    """Keep the schedule's dates, work and cost under `name` (leveled when `level`, or when
    the plan levels and `level` is None)."""
    plan = Path(plan)
    path = baseline_path(plan, name)
    if path.exists() and not force:
        raise BaselineError(
            f"baseline {name!r} exists ({path}); use --force to replace it", code="baseline.exists"
        )
    data = snapshot(
        schedule_plan(plan, level=level, engine=engine, time_limit=time_limit), name, now
    )
    write_file(path, json.dumps(data, indent=2, sort_keys=True) + "\n")
    return path


def load_baseline(plan: Path, name: str) -> dict[str, Any]:
    path = baseline_path(plan, name)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        data["tasks"]
    except FileNotFoundError:
        raise PlanFileError(
            f"no baseline {name!r} for {plan} (expected {path}); save one with "
            f"`techpm baseline {plan} --name {name}`",
            code="baseline.not_found",
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise PlanFileError(
            f"{path}: not a techpm baseline ({exc})", code="baseline.bad_file"
        ) from None
    return data


def plan_variance(
    plan: str | Path,
    name: str,
    *,
    level: bool | None = None,
    engine: LevelEngine = "auto",
    time_limit: float = 5.0,
) -> tuple[dict[str, Any], list[Variance]]:
    plan = Path(plan)
    baseline = load_baseline(plan, name)
    current = schedule_plan(plan, level=level, engine=engine, time_limit=time_limit)
    return baseline, variance(current, baseline)
