"""techpm: plan as code for technical project managers.

The public Python API::

    import techpm
    plan = techpm.load_plan("plan.yaml")
    result = techpm.schedule(plan)
    print(result.finish, result.critical_paths)
    odds = techpm.simulate(plan, iterations=10_000, seed=7)
"""

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
