"""Rules on the risk register and on three-point estimates."""

from __future__ import annotations

import numpy as np

from techpm.domain.estimate import ThreePoint
from techpm.domain.project import Project
from techpm.domain.risk import Delay
from techpm.domain.validation_types import Finding, duplicate_ids


def check_risks(project: Project) -> list[Finding]:
    found: list[Finding] = []
    for task in project.tasks:
        if task.estimate is not None and not task.estimate.ordered:
            found.append(
                _order(
                    task.estimate, "task", task.id, "estimate", None, project.units.minutes_per_day
                )
            )
    found += duplicate_ids((r.id for r in project.risks), "risk")
    for risk in project.risks:
        found += _delays(project, risk.id, risk.delays, "impact")
        if risk.response and risk.response.residual_delays is not None:
            found += _delays(project, risk.id, risk.response.residual_delays, "response")
        if isinstance(risk.cost, ThreePoint) and not risk.cost.ordered:
            found.append(_order(risk.cost, "risk", risk.id, "impact", "cost"))
    found += _check_correlations(project)
    matrix = project.risk_matrix
    for axis in ("probability", "schedule_days", "cost"):
        values = getattr(matrix, axis)
        if list(values) != sorted(values):
            found.append(
                Finding(
                    "risk.matrix_thresholds",
                    f"risk_matrix {axis} thresholds must ascend: {list(values)}",
                    "project",
                    "risk_matrix",
                )
            )
    return found


def _order(
    estimate: ThreePoint,
    kind: str,
    subject: str,
    field: str,
    sub: str | None,
    minutes_per_day: int | None = None,
) -> Finding:
    values = (estimate.optimistic, estimate.likely, estimate.pessimistic)
    shown = (
        ", ".join(f"{v / minutes_per_day:g}d" for v in values)
        if minutes_per_day
        else ", ".join(f"{v:g}" for v in values)
    )
    return Finding(
        "estimate.out_of_order",
        f"{kind} {subject!r}: estimate must satisfy 0 <= optimistic <= likely <= pessimistic "
        f"(got {shown})",
        kind,
        subject,
        field,
        None,
        sub,
    )


def _delays(project: Project, risk_id: str, delays: tuple[Delay, ...], field: str) -> list[Finding]:
    found = []
    for delay in delays:
        if delay.task not in project.task_by_id:
            found.append(
                Finding(
                    "risk.unknown_task",
                    f"risk {risk_id!r} delays {delay.task!r}, which is not a task of this plan",
                    "risk",
                    risk_id,
                    field,
                    None,
                    "schedule",
                )
            )
        elif isinstance(delay.minutes, ThreePoint) and not delay.minutes.ordered:
            per_day = project.units.minutes_per_day
            found.append(_order(delay.minutes, "risk", risk_id, field, "schedule", per_day))
        elif not isinstance(delay.minutes, ThreePoint) and delay.minutes < 0:
            found.append(
                Finding(
                    "risk.negative_delay",
                    f"risk {risk_id!r} has a negative delay on {delay.task!r}",
                    "risk",
                    risk_id,
                    field,
                    None,
                    "schedule",
                )
            )
    return found


def _check_correlations(project: Project) -> list[Finding]:
    found: list[Finding] = []
    for n, group in enumerate(project.correlations):
        where = f"correlations[{n}]"

        def finding(code: str, message: str, where: str = where, n: int = n) -> None:
            found.append(Finding(code, message, "correlation", where, None, n))

        for task_id in group.tasks:
            task = project.task_by_id.get(task_id)
            if task is None:
                finding("correlation.unknown_task", f"{task_id!r} is not a task of this plan")
            elif task.estimate is None:
                finding(
                    "correlation.no_estimate",
                    f"task {task_id!r} has no estimate, so nothing to correlate",
                )
        matrix = np.asarray(group.matrix, dtype=np.float64)
        if not np.allclose(matrix, matrix.T) or not np.allclose(np.diag(matrix), 1):
            finding(
                "correlation.bad_matrix", "the matrix must be symmetric with ones on its diagonal"
            )
        elif np.abs(matrix).max() > 1:
            finding("correlation.bad_matrix", "correlations lie between -1 and 1")
        elif (low := float(np.linalg.eigvalsh(matrix).min())) < -1e-9:
            finding(
                "correlation.not_psd",
                f"the matrix is not positive semi-definite (smallest eigenvalue {low:.3f}), so "
                "no set of estimates can have these correlations; `techpm simulate "
                "--nearest-correlation` uses the nearest valid matrix instead",
            )
    return found
