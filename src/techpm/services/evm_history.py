"""The earned value record: EV and AC as measured at each status date, kept in a JSON file
next to the plan, so that the period-by-period table shows what was earned and spent."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from techpm.domain.errors import PlanFileError
from techpm.interop.safe_write import locked, write_file


def history_path(plan: Path) -> Path:
    return plan.with_name(f"{plan.stem}.evm-history.json")


def read_history(plan: Path) -> dict[date, tuple[float, float]]:
    """Status date -> (EV, AC) recorded then."""
    path = history_path(plan)
    if not path.exists():
        return {}
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return {date.fromisoformat(k): (float(v["ev"]), float(v["ac"])) for k, v in data.items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise PlanFileError(
            f"{path}: not an earned value record ({exc})", code="evm.bad_history"
        ) from None


def record(plan: Path, status: date, ev: float, ac: float) -> Path:
    """Add (or replace) the measurement at `status`; the record is locked from reading to
    writing, so two runs at once both land."""
    path = history_path(plan)
    with locked(path):
        current = read_history(plan)
        current[status] = (ev, ac)
        data = {
            d.isoformat(): {"ev": round(e, 2), "ac": round(a, 2)}
            for d, (e, a) in sorted(current.items())
        }
        write_file(path, json.dumps(data, indent=2) + "\n")
    return path


def measured_by(history: dict[date, tuple[float, float]], day: date) -> tuple[float, float] | None:
    """The latest measurement on or before `day`."""
    earlier = [d for d in history if d <= day]
    return history[max(earlier)] if earlier else None
