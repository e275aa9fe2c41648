"""Rules on the stakeholder register and the RACI matrix's references."""

from __future__ import annotations

from techpm.domain.project import Project
from techpm.domain.validation_types import Finding, duplicate_ids


def check_people(project: Project) -> list[Finding]:
    found = duplicate_ids((s.id for s in project.stakeholders), "stakeholder")
    parties = {r.id for r in project.resources} | {s.id for s in project.stakeholders}
    for n, entry in enumerate(project.raci):
        if entry.task not in project.task_by_id:
            found.append(
                Finding(
                    "raci.unknown_task",
                    f"RACI entry for {entry.task!r}, which is not a task",
                    "raci",
                    entry.task,
                    "task",
                    n,
                )
            )
        for role, people in entry.parties().items():
            for k, person in enumerate(people):
                if person not in parties:
                    found.append(
                        Finding(
                            "raci.unknown_party",
                            f"{person!r} ({role} for {entry.task!r}) is neither a resource"
                            " nor a stakeholder",
                            "raci",
                            entry.task,
                            role,
                            n,
                            None if role == "accountable" and len(people) == 1 else str(k),
                        )
                    )
    return found
