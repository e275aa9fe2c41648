"""techpm: plan as code for technical project managers.

The public Python API::

    import techpm
    plan = techpm.load_plan("plan.yaml")
    result = techpm.schedule(plan)
    print(result.finish, result.critical_paths)
    odds = techpm.simulate(plan, iterations=10_000, seed=7)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from techpm.domain.errors import (
        Diagnostic,
        InvalidPlanError,
        PlanFileError,
        Problem,
        TaskNotFoundError,
        TechpmError,
    )
    from techpm.domain.project import Project
    from techpm.scheduling.explain import Explanation
    from techpm.scheduling.result import Schedule, TaskSchedule
    from techpm.services.planning import explain_plan_task as explain
    from techpm.services.planning import load_plan
    from techpm.services.planning import schedule_plan as schedule
    from techpm.services.simulating import simulate_plan as simulate

# name -> (module, attribute): imported on first use, so that `import techpm` (and the CLI's
# start-up) does not load the engines, numpy and scipy before they are needed
_LAZY = {
    "Diagnostic": ("techpm.domain.errors", "Diagnostic"),
    "InvalidPlanError": ("techpm.domain.errors", "InvalidPlanError"),
    "PlanFileError": ("techpm.domain.errors", "PlanFileError"),
    "Problem": ("techpm.domain.errors", "Problem"),
    "TaskNotFoundError": ("techpm.domain.errors", "TaskNotFoundError"),
    "TechpmError": ("techpm.domain.errors", "TechpmError"),
    "Project": ("techpm.domain.project", "Project"),
    "Explanation": ("techpm.scheduling.explain", "Explanation"),
    "Schedule": ("techpm.scheduling.result", "Schedule"),
    "TaskSchedule": ("techpm.scheduling.result", "TaskSchedule"),
    "explain": ("techpm.services.planning", "explain_plan_task"),
    "load_plan": ("techpm.services.planning", "load_plan"),
    "schedule": ("techpm.services.planning", "schedule_plan"),
    "simulate": ("techpm.services.simulating", "simulate_plan"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'techpm' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


__version__ = "0.1.0"

__all__ = [
    "Diagnostic",
    "Explanation",
    "InvalidPlanError",
    "PlanFileError",
    "Problem",
    "Project",
    "Schedule",
    "TaskNotFoundError",
    "TaskSchedule",
    "TechpmError",
    "__version__",
    "explain",
    "load_plan",
    "schedule",
    "simulate",
]
