"""The role table checked, action by action and role by role, against the issue's wording.

"viewer reads everything; member also writes tasks' progress, items, ideas and risks; manager
writes everything in the project (plan, dependencies, resources, baselines, members below
owner); owner also deletes the project and manages owners; instance admins manage users."
"""

from __future__ import annotations

import itertools

import pytest

from techpm.server.permissions import (
    PERMISSIONS,
    Action,
    Role,
    Scope,
    TokenScope,
    allowed,
    may_change_member,
    task_update_action,
)

A = Action
# Written out from the wording above, independently of the table in the module.
VIEWER = {A.PROJECT_READ, A.COMPUTE_RUN}
MEMBER = VIEWER | {A.PROGRESS_WRITE, A.ITEMS_WRITE, A.IDEAS_WRITE, A.RISKS_WRITE}
MANAGER = MEMBER | {
    A.PLAN_WRITE,
    A.PROJECT_UPDATE,
    A.TASKS_WRITE,
    A.DEPENDENCIES_WRITE,
    A.RESOURCES_WRITE,
    A.ASSIGNMENTS_WRITE,
    A.STAKEHOLDERS_WRITE,
    A.SPRINTS_WRITE,
    A.BASELINES_WRITE,
    A.MEMBERS_MANAGE,
}
OWNER = MANAGER | {A.PROJECT_DELETE, A.OWNERS_MANAGE}
PROJECT_ACTIONS = {a for a in Action if PERMISSIONS[a].scope is Scope.PROJECT}
EXPECTED = {None: set(), Role.VIEWER: VIEWER, Role.MEMBER: MEMBER}
EXPECTED |= {Role.MANAGER: MANAGER, Role.OWNER: OWNER}
ACCOUNT = {A.PROJECT_CREATE, A.ACCOUNT_READ, A.TOKENS_MANAGE}
READS = {A.PROJECT_READ, A.COMPUTE_RUN, A.ACCOUNT_READ, A.USERS_READ}
INSTANCE = {A.USERS_READ, A.USERS_MANAGE}
ROLES: list[Role | None] = [None, *Role]


def test_every_action_has_one_rule() -> None:
    assert set(PERMISSIONS) == set(Action)
    assert OWNER == PROJECT_ACTIONS  # the owner can do every project action
    assert {a for a in Action if PERMISSIONS[a].scope is Scope.ACCOUNT} == ACCOUNT
    assert {a for a in Action if PERMISSIONS[a].scope is Scope.INSTANCE} == INSTANCE


@pytest.mark.parametrize(
    ("role", "action", "admin"), list(itertools.product(ROLES, Action, [False, True]))
)
def test_the_matrix(role: Role | None, action: Action, admin: bool) -> None:
    if action in ACCOUNT:
        expected = True  # any signed-in user, on their own behalf
    elif action in INSTANCE:
        expected = admin
    else:
        expected = action in EXPECTED[role]  # being an admin adds no project right
    assert allowed(role, action, admin=admin) is expected


@pytest.mark.parametrize(("role", "action"), list(itertools.product(ROLES, Action)))
def test_a_read_token_never_writes(role: Role | None, action: Action) -> None:
    with_read = allowed(role, action, admin=True, token_scope="read")
    with_write = allowed(role, action, admin=True, token_scope="write")
    assert with_read is (with_write and action in READS)


def test_roles_are_ordered_and_parsed_from_the_api_spelling() -> None:
    assert Role.VIEWER < Role.MEMBER < Role.MANAGER < Role.OWNER
    assert [r.label for r in Role] == ["viewer", "member", "manager", "owner"]
    assert Role.parse("Manager") is Role.MANAGER
    with pytest.raises(ValueError, match="expected one of: viewer, member, manager, owner"):
        Role.parse("admin")


CHANGES = list(itertools.product(ROLES, ROLES, ROLES))


@pytest.mark.parametrize(("actor", "current", "new"), CHANGES)
def test_managers_manage_members_below_owner_and_owners_manage_owners(
    actor: Role | None, current: Role | None, new: Role | None
) -> None:
    if actor is Role.OWNER:
        expected = True
    elif actor is Role.MANAGER:
        expected = Role.OWNER not in (current, new)
    else:
        expected = False
    assert may_change_member(actor, current, new) is expected
    scope: TokenScope = "read"
    assert may_change_member(actor, current, new, token_scope=scope) is False


@pytest.mark.parametrize(
    ("keys", "action"),
    [
        ({"percent_complete"}, A.PROGRESS_WRITE),
        (
            {"id", "version", "actual_start", "actual_finish", "remaining_duration"},
            A.PROGRESS_WRITE,
        ),
        ({"actual_cost"}, A.PROGRESS_WRITE),
        ({"percent_complete", "duration"}, A.TASKS_WRITE),
        ({"name"}, A.TASKS_WRITE),
        ({"after"}, A.TASKS_WRITE),
    ],
)
def test_members_update_a_tasks_progress_but_not_its_plan(keys: set[str], action: Action) -> None:
    assert task_update_action(keys) is action
    assert allowed(Role.MEMBER, task_update_action(keys)) is (action is A.PROGRESS_WRITE)
    assert allowed(Role.MANAGER, task_update_action(keys))
