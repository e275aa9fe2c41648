"""The history through the API: each write with who, when, through what and each field's old
and new value, newest first, a page at a time; one task's history holds only its changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.integration.server.conftest import Team

HISTORY = "/api/v1/projects/PAY/history"
INVENTORY = "Application & server inventory (CMDB reconciliation)"  # in the example plan


def plan(team: Team) -> tuple[dict[str, Any], str]:
    headers = {**team.as_("viewer"), "Accept": "application/json"}
    answer = team.client.get("/api/v1/projects/PAY/plan", headers=headers)
    return answer.json(), answer.headers["etag"]


def task_in(document: dict[str, Any], task_id: str) -> dict[str, Any]:
    pending = list(document["tasks"])
    while pending:
        task = pending.pop()
        if task["id"] == task_id:
            return task  # type: ignore[no-any-return]
        pending.extend(task.get("children", []))
    raise AssertionError(f"no task {task_id}")


def put(team: Team, who: str, document: dict[str, Any], etag: str) -> int:
    headers = {**team.as_(who), "If-Match": etag, "Content-Type": "application/json"}
    answer = team.client.put("/api/v1/projects/PAY/plan", json=document, headers=headers)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["version"])


def two_changes(team: Team) -> tuple[int, int]:
    """The manager renames `inventory`, then the owner gives `depmap` to another owner."""
    document, etag = plan(team)
    assert task_in(document, "depmap")["owner"] == "raj.patel"
    task_in(document, "inventory")["name"] = "Inventory and CMDB"
    first = put(team, "manager", document, etag)
    document, etag = plan(team)
    task_in(document, "depmap")["owner"] = "kim.lee"
    return first, put(team, "owner", document, etag)


def history(team: Team, path: str = HISTORY, **params: Any) -> dict[str, Any]:
    answer = team.client.get(path, params=params, headers=team.as_("viewer"))
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_each_write_is_an_entry_with_who_when_how_and_each_fields_values(team: Team) -> None:
    first, second = two_changes(team)
    items = history(team)["items"]
    newest, before = items[0], items[1]
    assert (newest["version"], newest["actor"], newest["via"]) == (
        second,
        "owner@example.com",
        "api",
    )
    assert (before["version"], before["actor"], before["via"]) == (
        first,
        "manager@example.com",
        "api",
    )
    assert newest["id"] > before["id"]
    assert datetime.fromisoformat(newest["at"]) >= datetime.fromisoformat(before["at"])
    owner_change = {
        "entity": "task",
        "key": "depmap",
        "action": "changed",
        "field": "owner",
        "old": "raj.patel",
        "new": "kim.lee",
    }
    rename = {
        "entity": "task",
        "key": "inventory",
        "action": "changed",
        "field": "name",
        "old": INVENTORY,
        "new": "Inventory and CMDB",
    }
    assert owner_change in newest["changes"]
    assert rename not in newest["changes"]
    assert rename in before["changes"]
    assert owner_change not in before["changes"]
    assert [item["version"] for item in items] == sorted(
        (item["version"] for item in items), reverse=True
    )


def test_a_tasks_history_has_only_that_tasks_changes(team: Team) -> None:
    first, second = two_changes(team)
    depmap = history(team, "/api/v1/projects/PAY/tasks/depmap/history")["items"]
    assert depmap[0]["version"] == second
    assert first not in [item["version"] for item in depmap]
    changes = [c for item in depmap for c in item["changes"]]
    assert changes
    assert {(c["entity"], c["key"]) for c in changes} == {("task", "depmap")}
    inventory = history(team, "/api/v1/projects/PAY/tasks/inventory/history")["items"]
    assert inventory[0]["version"] == first
    assert second not in [item["version"] for item in inventory]


def test_an_unknown_task_is_404_but_a_removed_one_keeps_its_history(team: Team) -> None:
    missing = team.client.get(
        "/api/v1/projects/PAY/tasks/nothing_here/history", headers=team.as_("viewer")
    )
    assert missing.status_code == 404
    assert missing.json()["code"] == "task.not_found"
    document, etag = plan(team)
    discovery = task_in(document, "discovery")
    discovery["children"].append({"id": "scratch", "name": "Scratch", "duration": "1d"})
    added = put(team, "manager", document, etag)
    document, etag = plan(team)
    discovery = task_in(document, "discovery")
    discovery["children"] = [c for c in discovery["children"] if c["id"] != "scratch"]
    removed = put(team, "manager", document, etag)
    gone = history(team, "/api/v1/projects/PAY/tasks/scratch/history")["items"]
    assert [item["version"] for item in gone] == [removed, added]
    assert [c["action"] for c in gone[0]["changes"]] == ["removed"]


def test_pages_follow_the_cursor_to_the_end_and_bad_paging_is_422(team: Team) -> None:
    two_changes(team)
    everything = [item["id"] for item in history(team, limit=500)["items"]]
    assert len(everything) >= 3  # the project's creation and the two writes
    assert everything == sorted(everything, reverse=True)
    seen: list[int] = []
    page = history(team, limit=1)
    while True:
        assert len(page["items"]) == 1
        seen.append(page["items"][0]["id"])
        if page["next_cursor"] is None:
            break
        page = history(team, limit=1, cursor=page["next_cursor"])
    assert seen == everything
    two = history(team, limit=2)
    assert [item["id"] for item in two["items"]] == everything[:2]
    assert history(team, limit=2, cursor=two["next_cursor"])["items"][0]["id"] == everything[2]
    viewer = team.as_("viewer")
    bad = team.client.get(HISTORY, params={"cursor": "abc"}, headers=viewer)
    assert bad.status_code == 422
    assert bad.json()["code"] == "request.bad_cursor"
    assert team.client.get(HISTORY, params={"limit": 501}, headers=viewer).status_code == 422
    assert team.client.get(HISTORY, params={"limit": 0}, headers=viewer).status_code == 422
    assert team.client.get(HISTORY, headers=team.as_("outsider")).status_code == 404
