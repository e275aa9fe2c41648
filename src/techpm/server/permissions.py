"""The one permission table: which project role (or instance admin) may do what.

Roles are ordered, viewer < member < manager < owner, so each action needs only its minimum
role. A read-scoped token never writes, whatever the role of its owner. Routes check through
`allowed`, and membership changes through `may_change_member`, nowhere else.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from types import MappingProxyType

from techpm.security.tokens import TokenScope


class Role(IntEnum):
    """A member's role in one project; a higher role can do all a lower one can."""

    VIEWER = 1
    MEMBER = 2
    MANAGER = 3
    OWNER = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Role:
        """From the API's spelling (`"owner"`...); ValueError names the allowed ones."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(role.label for role in cls)
            raise ValueError(f"unknown role {text!r}; expected one of: {names}") from None


class Scope(StrEnum):
    PROJECT = "project"  # needs a role in the project
    ACCOUNT = "account"  # any signed-in user, on their own behalf
    INSTANCE = "instance"  # instance admins only


class Action(StrEnum):
    """What a request does; stable names, checked once per route."""

    PROJECT_READ = "project.read"  # the plan, every collection, computed results, history
    COMPUTE_RUN = "compute.run"  # start (or cancel) a simulation or leveling job: no plan change
    PROGRESS_WRITE = "progress.write"
    ITEMS_WRITE = "items.write"
    IDEAS_WRITE = "ideas.write"
    RISKS_WRITE = "risks.write"
    PLAN_WRITE = "plan.write"  # the plan file as a whole, imports
    PROJECT_UPDATE = "project.update"  # name and settings of the project
    TASKS_WRITE = "tasks.write"  # tasks beyond their progress
    DEPENDENCIES_WRITE = "dependencies.write"
    RESOURCES_WRITE = "resources.write"
    ASSIGNMENTS_WRITE = "assignments.write"
    STAKEHOLDERS_WRITE = "stakeholders.write"
    SPRINTS_WRITE = "sprints.write"
    BASELINES_WRITE = "baselines.write"
    MEMBERS_MANAGE = "members.manage"  # members below owner
    PROJECT_DELETE = "project.delete"
    OWNERS_MANAGE = "owners.manage"
    PROJECT_CREATE = "project.create"  # the creator becomes its owner
    ACCOUNT_READ = "account.read"  # who am I, my tokens
    TOKENS_MANAGE = "tokens.manage"  # create and revoke my own tokens
    USERS_READ = "users.read"
    USERS_MANAGE = "users.manage"


@dataclass(frozen=True)
class Rule:
    scope: Scope
    writes: bool
    minimum: Role | None = None  # for project actions


def _project(minimum: Role, *, writes: bool = True) -> Rule:
    return Rule(Scope.PROJECT, writes, minimum)


PERMISSIONS: Mapping[Action, Rule] = MappingProxyType(
    {
        Action.PROJECT_READ: _project(Role.VIEWER, writes=False),
        Action.COMPUTE_RUN: _project(Role.VIEWER, writes=False),
        Action.PROGRESS_WRITE: _project(Role.MEMBER),
        Action.ITEMS_WRITE: _project(Role.MEMBER),
        Action.IDEAS_WRITE: _project(Role.MEMBER),
        Action.RISKS_WRITE: _project(Role.MEMBER),
        Action.PLAN_WRITE: _project(Role.MANAGER),
        Action.PROJECT_UPDATE: _project(Role.MANAGER),
        Action.TASKS_WRITE: _project(Role.MANAGER),
        Action.DEPENDENCIES_WRITE: _project(Role.MANAGER),
        Action.RESOURCES_WRITE: _project(Role.MANAGER),
        Action.ASSIGNMENTS_WRITE: _project(Role.MANAGER),
        Action.STAKEHOLDERS_WRITE: _project(Role.MANAGER),
        Action.SPRINTS_WRITE: _project(Role.MANAGER),
        Action.BASELINES_WRITE: _project(Role.MANAGER),
        Action.MEMBERS_MANAGE: _project(Role.MANAGER),
        Action.PROJECT_DELETE: _project(Role.OWNER),
        Action.OWNERS_MANAGE: _project(Role.OWNER),
        Action.PROJECT_CREATE: Rule(Scope.ACCOUNT, writes=True),
        Action.ACCOUNT_READ: Rule(Scope.ACCOUNT, writes=False),
        Action.TOKENS_MANAGE: Rule(Scope.ACCOUNT, writes=True),
        Action.USERS_READ: Rule(Scope.INSTANCE, writes=False),
        Action.USERS_MANAGE: Rule(Scope.INSTANCE, writes=True),
    }
)


# The task keys a status sheet (`techpm progress`) records: what members may change on a task.
TASK_PROGRESS_KEYS = frozenset(
    {"actual_start", "actual_finish", "percent_complete", "remaining_duration", "actual_cost"}
)


def task_update_action(keys: Collection[str]) -> Action:
    """A change to a task's progress keys alone is progress; any other key makes it planning."""
    changed = set(keys) - {"id", "version"}  # echoed back in a representation, not changes
    return Action.PROGRESS_WRITE if changed <= TASK_PROGRESS_KEYS else Action.TASKS_WRITE


# What a board changes on a backlog item: members move items and size them.
ITEM_KEYS = frozenset(
    {
        "name",
        "status",
        "points",
        "sprint",
        "issue_type",
        "owner",
        "tags",
        "notes",
        "history",
        "refs",
    }
)


def item_update_action(keys: Collection[str]) -> Action:
    """An item's board keys (and progress) are item work; any other key makes it planning."""
    changed = set(keys) - {"id", "version"}
    return Action.ITEMS_WRITE if changed <= ITEM_KEYS | TASK_PROGRESS_KEYS else Action.TASKS_WRITE


def allowed(
    role: Role | None,
    action: Action,
    *,
    admin: bool = False,
    token_scope: TokenScope = "write",
) -> bool:
    """May a caller with `role` in the project (None: not a member) do `action`?

    `admin` is the instance-admin flag; it grants the instance actions, not project roles.
    `token_scope` is the scope of the token the request came with (a session or password
    login counts as "write").
    """
    rule = PERMISSIONS[action]
    if rule.writes and token_scope != "write":
        return False
    if rule.scope is Scope.ACCOUNT:
        return True
    if rule.scope is Scope.INSTANCE:
        return admin
    return role is not None and rule.minimum is not None and role >= rule.minimum


def may_change_member(
    actor: Role | None,
    current: Role | None,
    new: Role | None,
    *,
    token_scope: TokenScope = "write",
) -> bool:
    """May `actor` move a member from `current` to `new` (None: not a member / removed)?

    Managers manage members below owner; only owners make, change or remove owners.
    """
    if not allowed(actor, Action.MEMBERS_MANAGE, token_scope=token_scope):
        return False
    touches_owner = Role.OWNER in (current, new)
    return not touches_owner or allowed(actor, Action.OWNERS_MANAGE, token_scope=token_scope)
