"""Who is responsible, accountable, consulted and informed for each deliverable."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("responsible", "accountable", "consulted", "informed")


@dataclass(frozen=True)
class RaciEntry:
    task: str  # a deliverable: any task, usually a WBS branch
    responsible: tuple[str, ...] = ()
    accountable: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()

    def parties(self) -> dict[str, tuple[str, ...]]:
        return {role: getattr(self, role) for role in ROLES}


@dataclass(frozen=True)
class RaciViolation:
    task: str
    rule: str  # stable code
    message: str


def raci_violations(entries: tuple[RaciEntry, ...]) -> list[RaciViolation]:
    """The usual RACI rules: one accountable, someone responsible, no one in two roles."""
    found: list[RaciViolation] = []
    for entry in entries:
        if len(entry.accountable) != 1:
            who = ", ".join(entry.accountable) or "no one"
            found.append(
                RaciViolation(
                    entry.task,
                    "raci.accountable",
                    f"{entry.task}: exactly one must be accountable, not {who}",
                )
            )
        if not entry.responsible:
            found.append(
                RaciViolation(
                    entry.task, "raci.responsible", f"{entry.task}: no one is responsible"
                )
            )
        roles_of: dict[str, list[str]] = {}
        for role, people in entry.parties().items():
            for person in people:
                roles_of.setdefault(person, []).append(role)
        for person, roles in roles_of.items():
            # R and A together is the common "doer owns it" pattern; other pairs are muddled
            if len(roles) > 1 and set(roles) != {"responsible", "accountable"}:
                found.append(
                    RaciViolation(
                        entry.task,
                        "raci.overlap",
                        f"{entry.task}: {person} is both {' and '.join(roles)}",
                    )
                )
    return found
