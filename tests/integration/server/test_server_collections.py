"""The collections inside a project through the API: the plan file's keys plus `version`,
paging, filters and sorting, If-Match on every change, the roles, and each change scheduled
as `techpm schedule` schedules the same plan edited by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from techpm.cli.main import app as cli
from tests.integration.server.conftest import EXAMPLES, Team

PAY = "/api/v1/projects/PAY"


def _plan() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "cloud-migration.yaml").read_text())
    return data


def _flat(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for node in nodes:
        out.append(node)
        out += _flat(node.get("children", []))
    return out


def _cli_schedule(plan: dict[str, Any], tmp_path: Path) -> dict[str, dict[str, Any]]:
    """The CLI's schedule of a plan file written by hand: the independent reference."""
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, sort_keys=False))
    result = CliRunner().invoke(cli, ["schedule", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return {t["id"]: t for t in json.loads(result.stdout)["tasks"]}


def _all(team: Team, path: str, who: str = "viewer", **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        answer = team.client.get(f"{PAY}/{path}", params=query, headers=team.as_(who))
        assert answer.status_code == 200, answer.text
        body = answer.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_tasks_page_through_the_whole_wbs_in_order(team: Team) -> None:
    expected = [t["id"] for t in _flat(_plan()["tasks"])]
    pages = _all(team, "tasks", limit=7)
    assert [t["id"] for t in pages] == expected
    assert all(isinstance(t["version"], int) for t in pages)
    inventory = next(t for t in pages if t["id"] == "inventory")
    assert inventory["duration"] == "15d"
    assert inventory["after"] == ["kickoff"]
    assert inventory["parent"] == "discovery"
    first = team.client.get(f"{PAY}/tasks", params={"limit": 500}, headers=team.as_("viewer"))
    assert first.json()["next_cursor"] is None
    assert first.headers["etag"] == team.client.get(PAY, headers=team.as_("viewer")).headers["etag"]


def test_filters_and_sorting_agree_with_the_cli_schedule(team: Team, tmp_path: Path) -> None:
    reference = _cli_schedule(_plan(), tmp_path)
    critical = _all(team, "tasks", critical="true")
    assert {t["id"] for t in critical} == {i for i, t in reference.items() if t["critical"]}
    children = _all(team, "tasks", parent="discovery")
    assert [t["id"] for t in children] == [t["id"] for t in _plan()["tasks"][0]["children"]]
    tagged = _all(team, "tasks", tags="network")
    assert tagged
    assert all("network" in t["tags"] for t in tagged)
    by_finish = _all(team, "tasks", sort="-finish,id", include="schedule")
    finishes = [t["schedule"]["finish"] for t in by_finish]
    assert finishes == sorted(finishes, reverse=True)
    assert by_finish[0]["schedule"]["finish"] == max(t["finish"] for t in reference.values())
    bad = team.client.get(f"{PAY}/tasks", params={"stauts": "x"}, headers=team.as_("viewer"))
    assert bad.status_code == 422
    assert bad.json()["code"] == "request.unknown_filter"
    worse = team.client.get(f"{PAY}/tasks", params={"cursor": "!!"}, headers=team.as_("viewer"))
    assert worse.status_code == 422
    assert worse.json()["code"] == "request.bad_cursor"


def test_a_patched_duration_moves_the_successors_as_the_cli_would(
    team: Team, tmp_path: Path
) -> None:
    task = team.client.get(f"{PAY}/tasks/inventory", headers=team.as_("manager"))
    assert task.status_code == 200
    assert task.headers["etag"] == f'"{task.json()["version"]}"'
    answer = team.client.patch(
        f"{PAY}/tasks/inventory",
        json={"duration": "20d"},
        headers={**team.as_("manager"), "If-Match": task.headers["etag"]},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["duration"] == "20d"
    assert answer.json()["version"] > task.json()["version"]
    plan = _plan()
    next(t for t in _flat(plan["tasks"]) if t["id"] == "inventory")["duration"] = "20d"
    reference = _cli_schedule(plan, tmp_path)
    served = {t["id"]: t["schedule"] for t in _all(team, "tasks", include="schedule")}
    for key in ("inventory", "tco", "wave_plan", "m_assessment"):
        assert served[key]["start"] == reference[key]["start"], key
        assert served[key]["finish"] == reference[key]["finish"], key
    history = team.client.get(f"{PAY}/tasks/inventory/history", headers=team.as_("viewer"))
    change = history.json()["items"][0]
    assert change["actor"] == team.email("manager")
    assert {"field": "duration", "old": "15d", "new": "20d"}.items() <= change["changes"][0].items()


def test_if_match_is_required_checked_and_can_be_waived(team: Team) -> None:
    url = f"{PAY}/tasks/tco"
    etag = team.client.get(url, headers=team.as_("manager")).headers["etag"]
    missing = team.client.patch(url, json={"name": "TCO"}, headers=team.as_("manager"))
    assert missing.status_code == 428
    assert missing.json()["code"] == "precondition.required"
    for bad in ('"1', '1"', '""', "W/"):
        odd = team.client.patch(
            url, json={"name": "TCO"}, headers={**team.as_("manager"), "If-Match": bad}
        )
        assert odd.status_code == 400, bad
        assert odd.json()["code"] == "request.bad_if_match"
    broken = team.client.patch(
        url,
        content=b'{"name": ',
        headers={**team.as_("manager"), "If-Match": etag, "Content-Type": "application/json"},
    )
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["field"] == "body"
    first = team.client.patch(
        url, json={"name": "TCO model"}, headers={**team.as_("manager"), "If-Match": etag}
    )
    assert first.status_code == 200
    stale = team.client.patch(
        url, json={"name": "TCO again"}, headers={**team.as_("manager"), "If-Match": etag}
    )
    assert stale.status_code == 412
    problem = stale.json()
    assert problem["current"]["name"] == "TCO model"
    assert problem["current"]["version"] == first.json()["version"]
    assert [(c["field"], c["new"]) for c in problem["changes"]] == [("name", "TCO model")]
    # another task changing does not make this one's ETag stale
    other = team.client.get(f"{PAY}/tasks/accounts", headers=team.as_("manager"))
    moved = team.client.patch(
        f"{PAY}/tasks/accounts",
        json={"notes": "vending via AFT"},
        headers={**team.as_("manager"), "If-Match": other.headers["etag"]},
    )
    assert moved.status_code == 200
    again = team.client.patch(
        url,
        json={"name": "TCO"},
        headers={**team.as_("manager"), "If-Match": first.headers["etag"]},
    )
    assert again.status_code == 200
    forced = team.client.patch(
        url, json={"name": "TCO forced"}, headers={**team.as_("manager"), "If-Match": "*"}
    )
    assert forced.status_code == 200
    assert forced.json()["name"] == "TCO forced"


def test_values_past_the_plan_file_limits_are_refused_before_anything_is_written(
    team: Team,
) -> None:
    url = f"{PAY}/tasks/tco"
    deep: Any = "x"
    for _ in range(120):
        deep = [deep]
    before = team.client.get(url, headers=team.as_("manager")).json()
    headers = {**team.as_("manager"), "If-Match": "*", "Content-Type": "application/json"}
    for body in (json.dumps({"refs": {"jira": deep}}), '{"percent_complete": 1e400}'):
        answer = team.client.patch(url, content=body, headers=headers)
        assert answer.status_code == 422, body
        assert answer.json()["code"].startswith("planfile."), answer.json()
    assert team.client.get(url, headers=team.as_("manager")).json() == before


def test_members_change_progress_but_not_the_plan_and_viewers_nothing(team: Team) -> None:
    url = f"{PAY}/tasks/inventory"
    etag = team.client.get(url, headers=team.as_("member")).headers["etag"]
    progress = team.client.patch(
        url, json={"percent_complete": 40}, headers={**team.as_("member"), "If-Match": etag}
    )
    assert progress.status_code == 200, progress.text
    assert progress.json()["percent_complete"] == 40
    etag = progress.headers["etag"]
    for who, body in (("member", {"duration": "3d"}), ("viewer", {"percent_complete": 50})):
        refused = team.client.patch(url, json=body, headers={**team.as_(who), "If-Match": etag})
        assert refused.status_code == 403, (who, refused.text)
    assert team.client.get(url, headers=team.as_("viewer")).json()["duration"] == "15d"


def test_tasks_are_added_under_a_parent_and_removed_with_their_links(team: Team) -> None:
    headers = team.as_("manager")
    added = team.client.post(
        f"{PAY}/tasks",
        json={
            "id": "licences",
            "name": "Licence review",
            "duration": "4d",
            "parent": "discovery",
            "after": ["inventory"],
        },
        headers=headers,
    )
    assert added.status_code == 201, added.text
    assert added.headers["location"] == f"{PAY}/tasks/licences"
    children = [t["id"] for t in _all(team, "tasks", parent="discovery")]
    assert children[-1] == "licences"
    again = team.client.post(f"{PAY}/tasks", json={"id": "licences", "name": "x"}, headers=headers)
    assert again.status_code == 409
    bad = team.client.post(
        f"{PAY}/tasks", json={"id": "odd", "name": "Odd", "duration": "soon"}, headers=headers
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["duration"]
    follower = team.client.post(
        f"{PAY}/tasks",
        json={"name": "After licences", "duration": "1d", "after": ["licences"]},
        headers=headers,
    )
    assert follower.status_code == 201
    new_id = follower.json()["id"]
    etag = team.client.get(f"{PAY}/tasks/licences", headers=headers).headers["etag"]
    gone = team.client.delete(f"{PAY}/tasks/licences", headers={**headers, "If-Match": etag})
    assert gone.status_code == 204
    assert team.client.get(f"{PAY}/tasks/licences", headers=headers).status_code == 404
    assert team.client.get(f"{PAY}/tasks/{new_id}", headers=headers).json().get("after") is None
    links = _all(team, "dependencies", successor=new_id)
    assert links == []


def test_dependencies_with_type_and_lag_schedule_as_written(team: Team, tmp_path: Path) -> None:
    headers = team.as_("manager")
    link = team.client.post(
        f"{PAY}/dependencies",
        json={"predecessor": "inventory", "successor": "tco", "type": "SS", "lag": "2d"},
        headers=headers,
    )
    assert link.status_code == 409  # tco already follows inventory (FS)
    current = team.client.get(f"{PAY}/dependencies/inventory->tco", headers=headers)
    assert current.json() == {
        "id": "inventory->tco",
        "predecessor": "inventory",
        "successor": "tco",
        "type": "FS",
        "lag": "0d",
        "version": current.json()["version"],
    }
    changed = team.client.patch(
        f"{PAY}/dependencies/inventory->tco",
        json={"type": "SS", "lag": "2d"},
        headers={**headers, "If-Match": current.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    plan = _plan()
    tco = next(t for t in _flat(plan["tasks"]) if t["id"] == "tco")
    tco["after"] = [{"task": "inventory", "type": "SS", "lag": "2d"}]
    reference = _cli_schedule(plan, tmp_path)
    served = team.client.get(f"{PAY}/tasks/tco", params={"include": "schedule"}, headers=headers)
    assert served.json()["schedule"]["start"] == reference["tco"]["start"]
    assert served.json()["after"] == [{"task": "inventory", "type": "SS", "lag": "2d"}]
    gone = team.client.delete(
        f"{PAY}/dependencies/inventory->tco",
        headers={**headers, "If-Match": changed.headers["etag"]},
    )
    assert gone.status_code == 204
    assert team.client.get(f"{PAY}/dependencies/inventory->tco", headers=headers).status_code == 404
    cycle = team.client.post(
        f"{PAY}/dependencies",
        json={"predecessor": "wave_plan", "successor": "kickoff"},
        headers=headers,
    )
    assert cycle.status_code == 422
    assert "cycle" in cycle.json()["code"]


def test_resources_and_assignments_cost_the_work(team: Team) -> None:
    headers = team.as_("manager")
    person = team.client.post(
        f"{PAY}/resources",
        json={"id": "raj", "name": "Raj Patel", "rate": "800/d"},
        headers=headers,
    )
    assert person.status_code == 201, person.text
    assert (
        team.client.post(
            f"{PAY}/resources", json={"id": "x", "name": "X"}, headers=team.as_("member")
        ).status_code
        == 403
    )
    work = team.client.post(
        f"{PAY}/assignments",
        json={"task": "inventory", "resource": "raj", "units": 0.5},
        headers=headers,
    )
    assert work.status_code == 201, work.text
    assert work.json()["id"] == "inventory/raj"
    task = team.client.get(f"{PAY}/tasks/inventory", headers=headers).json()
    assert task["assign"] == [{"resource": "raj", "units": 0.5}]
    assert [a["id"] for a in _all(team, "assignments", resource="raj")] == ["inventory/raj"]
    assert [r["id"] for r in _all(team, "tasks", assignee="raj")] == ["inventory"]
    unknown = team.client.post(
        f"{PAY}/assignments", json={"task": "inventory", "resource": "nobody"}, headers=headers
    )
    assert unknown.status_code == 422
    busy = team.client.delete(f"{PAY}/resources/raj", headers={**headers, "If-Match": "*"})
    assert busy.status_code == 422  # still assigned: removing it would break the plan
    assert team.client.get(f"{PAY}/resources/raj", headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "change"),
    [
        (
            "risks",
            {"id": "R1", "title": "Oracle licence audit", "probability": 0.3},
            {"probability": 0.5},
        ),
        ("ideas", {"title": "Use DMS for Oracle"}, {"votes": 3}),
        (
            "stakeholders",
            {"id": "cfo", "name": "CFO", "influence": 5, "interest": 4},
            {"name": "Chief financial officer"},
        ),
        ("sprints", {"id": "s1", "start": "2027-01-04", "finish": "2027-01-15"}, {"capacity": 30}),
    ],
)
def test_register_entries_round_trip(
    team: Team, path: str, body: dict[str, Any], change: dict[str, Any]
) -> None:
    writer = "member" if path in ("risks", "ideas") else "manager"
    created = team.client.post(f"{PAY}/{path}", json=body, headers=team.as_(writer))
    assert created.status_code == 201, created.text
    entity = created.json()
    assert {k: entity[k] for k in body} == body
    url = f"{PAY}/{path}/{entity['id']}"
    changed = team.client.patch(
        url, json=change, headers={**team.as_(writer), "If-Match": created.headers["etag"]}
    )
    assert changed.status_code == 200, changed.text
    assert {k: changed.json()[k] for k in change} == change
    listed = _all(team, path)
    assert [e["id"] for e in listed] == [entity["id"]]
    if writer == "member":
        assert (
            team.client.post(f"{PAY}/{path}", json=body, headers=team.as_("viewer")).status_code
            == 403
        )
    gone = team.client.delete(
        url, headers={**team.as_("manager"), "If-Match": changed.headers["etag"]}
    )
    assert gone.status_code == 204
    assert _all(team, path) == []


def _backlog_project(team: Team) -> str:
    """CHK: the checkout backlog example, owned by the owner, the member a member."""
    owner = team.as_("owner")
    made = team.client.post("/api/v1/projects", json={"key": "CHK", "name": "x"}, headers=owner)
    assert made.status_code == 201, made.text
    url = "/api/v1/projects/CHK"
    etag = team.client.get(url, headers=owner).headers["etag"]
    text = (EXAMPLES / "checkout-backlog.yaml").read_text()
    put = team.client.put(
        f"{url}/plan",
        content=text,
        headers={**owner, "Content-Type": "application/yaml", "If-Match": etag},
    )
    assert put.status_code == 200, put.text
    member = team.client.put(
        f"{url}/members/{team.email('member')}", json={"role": "member"}, headers=owner
    )
    assert member.status_code in (200, 201), member.text
    return url


def test_items_move_across_the_board_with_their_status_history(team: Team) -> None:
    url = _backlog_project(team)
    plan = yaml.safe_load((EXAMPLES / "checkout-backlog.yaml").read_text())
    items = [t for t in _flat(plan["tasks"]) if "status" in t]
    listed = team.client.get(f"{url}/items", params={"limit": 500}, headers=team.as_("member"))
    assert [i["id"] for i in listed.json()["items"]] == [t["id"] for t in items]
    done = team.client.get(
        f"{url}/items", params={"status": "done", "limit": 500}, headers=team.as_("member")
    )
    assert len(done.json()["items"]) == sum(t["status"] == "done" for t in items)
    ready = next(t for t in items if t["status"] == "ready")
    one = f"{url}/items/{ready['id']}"
    etag = team.client.get(one, headers=team.as_("member")).headers["etag"]
    moved = team.client.patch(
        one, json={"status": "in progress"}, headers={**team.as_("member"), "If-Match": etag}
    )
    assert moved.status_code == 200, moved.text
    step = moved.json()["history"][-1]
    assert (step["from"], step["to"]) == ("ready", "in progress")
    assert len(moved.json()["history"]) == len(ready.get("history", [])) + 1
    planning = team.client.patch(
        one, json={"duration": "9d"}, headers={**team.as_("member"), "If-Match": "*"}
    )
    assert planning.status_code == 403
    new = team.client.post(
        f"{url}/items", json={"name": "Apple Pay", "duration": "2d"}, headers=team.as_("member")
    )
    assert new.status_code == 201, new.text
    assert new.json()["status"] == "backlog"  # the workflow's first state
    unknown = team.client.patch(
        one, json={"status": "shipped"}, headers={**team.as_("member"), "If-Match": "*"}
    )
    assert unknown.status_code == 422


def test_baselines_keep_the_schedule_they_were_taken_from(team: Team, tmp_path: Path) -> None:
    headers = team.as_("manager")
    refused = team.client.post(f"{PAY}/baselines", json={"name": "x"}, headers=team.as_("member"))
    assert refused.status_code == 403
    taken = team.client.post(f"{PAY}/baselines", json={"name": "approved"}, headers=headers)
    assert taken.status_code == 201, taken.text
    reference = _cli_schedule(_plan(), tmp_path)
    snapshot = taken.json()["snapshot"]["tasks"]
    assert set(snapshot) == set(reference)
    assert snapshot["m_assessment"]["finish"] == reference["m_assessment"]["finish"]
    again = team.client.post(f"{PAY}/baselines", json={"name": "approved"}, headers=headers)
    assert again.status_code == 409
    bad = team.client.post(f"{PAY}/baselines", json={"name": "no spaces"}, headers=headers)
    assert bad.status_code == 422
    listed = team.client.get(f"{PAY}/baselines", headers=team.as_("viewer")).json()["items"]
    assert [(b["name"], b["tasks"]) for b in listed] == [("approved", len(reference))]
    evm = team.client.get(
        f"{PAY}/evm", params={"baseline": "approved", "status_date": "2027-02-01"}, headers=headers
    )
    assert evm.status_code == 200, evm.text
    url = f"{PAY}/baselines/approved"
    renamed = team.client.patch(
        url, json={"name": "v1"}, headers={**headers, "If-Match": taken.headers["etag"]}
    )
    assert renamed.status_code == 200, renamed.text
    stale = team.client.delete(
        f"{PAY}/baselines/v1", headers={**headers, "If-Match": taken.headers["etag"]}
    )
    assert stale.status_code == 412
    gone = team.client.delete(
        f"{PAY}/baselines/v1", headers={**headers, "If-Match": renamed.headers["etag"]}
    )
    assert gone.status_code == 204
    assert team.client.get(f"{PAY}/baselines/v1", headers=headers).status_code == 404
