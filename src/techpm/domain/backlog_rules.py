"""Rules on the backlog side: workflow states, sprints and ideas refer to what exists."""

from __future__ import annotations

from techpm.domain.project import Project
from techpm.domain.validation_types import Finding, duplicate_ids


def check_backlog(project: Project) -> list[Finding]:
    found = _workflow(project)
    found += _sprints(project)
    found += _ideas(project)
    return found


def _workflow(project: Project) -> list[Finding]:
    flow = project.workflow
    if flow is None:
        return []
    found = [
        Finding(
            "workflow.unknown_state",
            f"{role} state {state!r} is not one of the workflow's states "
            f"({', '.join(flow.states)})",
            "workflow",
            "workflow",
            role,
            k,
        )
        for role, states in (
            ("done", flow.done),
            ("active", flow.active),
            ("blocked", flow.blocked),
        )
        for k, state in enumerate(states)
        if not flow.knows(state)
    ]
    for task in project.tasks:
        if task.status is not None and not flow.knows(task.status):
            found.append(
                Finding(
                    "workflow.unknown_state",
                    f"task {task.id!r} is in state {task.status!r}, which the workflow does "
                    f"not have ({', '.join(flow.states)})",
                    "task",
                    task.id,
                    "status",
                )
            )
        for n, change in enumerate(task.history):
            for side, state in (("to", change.to), ("from", change.from_)):
                if state is not None and not flow.knows(state):
                    found.append(
                        Finding(
                            "workflow.unknown_state",
                            f"task {task.id!r} changed {side} state {state!r} on "
                            f"{change.at:%Y-%m-%d}, which the workflow does not have "
                            f"({', '.join(flow.states)})",
                            "task",
                            task.id,
                            "history",
                            n,
                            side,
                        )
                    )
    return found


def _sprints(project: Project) -> list[Finding]:
    found = duplicate_ids((s.id for s in project.sprints), "sprint")
    people = {r.id for r in project.resources}
    for n, sprint in enumerate(project.sprints):
        if sprint.finish < sprint.start:
            found.append(
                Finding(
                    "sprint.dates",
                    f"sprint {sprint.id!r} finishes ({sprint.finish}) before it starts "
                    f"({sprint.start})",
                    "sprint",
                    sprint.id,
                    "finish",
                    n,
                )
            )
        for k, member in enumerate(sprint.team):
            if member not in people:
                found.append(
                    Finding(
                        "sprint.unknown_member",
                        f"{member!r} in sprint {sprint.id!r} is not a resource",
                        "sprint",
                        sprint.id,
                        "team",
                        n,
                        str(k),
                    )
                )
    sprints = {s.id for s in project.sprints}
    if sprints:  # without `sprints`, a sprint is a label (as imported); see sprint_labels
        for task in project.tasks:
            if task.sprint is not None and task.sprint not in sprints:
                found.append(
                    Finding(
                        "sprint.unknown",
                        f"task {task.id!r} is planned in sprint {task.sprint!r}, which is not"
                        " in `sprints`",
                        "task",
                        task.id,
                        "sprint",
                    )
                )
    return found


def _ideas(project: Project) -> list[Finding]:
    found = duplicate_ids((g.id for g in project.goals), "goal")
    found += duplicate_ids((i.id for i in project.ideas), "idea")
    goals = {g.id for g in project.goals}
    for n, idea in enumerate(project.ideas):
        for k, goal in enumerate(idea.goals):
            if goal not in goals:
                found.append(
                    Finding(
                        "idea.unknown_goal",
                        f"idea {idea.id!r} links to goal {goal!r}, which is not in `goals`",
                        "idea",
                        idea.id,
                        "goals",
                        n,
                        str(k),
                    )
                )
        if idea.epic is not None and idea.epic not in project.task_by_id:
            found.append(
                Finding(
                    "idea.unknown_epic",
                    f"idea {idea.id!r} was promoted to {idea.epic!r}, which is not a task",
                    "idea",
                    idea.id,
                    "epic",
                    n,
                )
            )
    return found
