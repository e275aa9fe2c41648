"""Schedule and level several plans together on one team, higher-priority plans first."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from techpm.domain.portfolio import combine
from techpm.interop.planfile.loader import load_plan_file, load_team_file
from techpm.scheduling.leveled import level_schedule
from techpm.scheduling.result import Schedule
from techpm.services.planning import (
    AUTO_CPSAT_TASKS,
    LevelEngine,
    flag_absences,
    schedule_loaded,
)


def schedule_portfolio(
    plans: Sequence[str | Path],
    *,
    resources: str | Path | None = None,
    level: bool | None = None,
    engine: LevelEngine = "auto",
    time_limit: float = 5.0,
) -> Schedule:
    """One plan, or several as one portfolio; `resources` names a shared resource file."""
    team = load_team_file(resources) if resources is not None else None
    loaded = [load_plan_file(path, team) for path in plans]
    if len(loaded) == 1:
        result = schedule_loaded(loaded[0])
        tiers = None
    else:
        keys = _keys([Path(p) for p in plans])
        project = combine(
            [(key, item.project) for key, item in zip(keys, loaded, strict=True)],
            name=" + ".join(item.project.info.name for item in loaded),
        )
        result = schedule_loaded(project)
        priority = {key: item.project.info.priority for key, item in zip(keys, loaded, strict=True)}
        tiers = [priority[task_id.split("/", 1)[0]] for task_id in result.problem.ids]
    if level is None:  # as the plans say: any plan that levels levels the portfolio
        level = any(item.project.info.level for item in loaded)
    if not level:
        return result
    if engine == "auto":
        engine = "cpsat" if result.problem.size <= AUTO_CPSAT_TASKS else "heuristic"
    return flag_absences(level_schedule(result, engine=engine, time_limit=time_limit, tiers=tiers))


def _keys(paths: list[Path]) -> list[str]:
    """File names without extension, numbered when two plans share one."""
    keys: list[str] = []
    for path in paths:
        key = path.stem
        while key in keys:
            key = f"{path.stem}-{len(keys) + 1}"
        keys.append(key)
    return keys
