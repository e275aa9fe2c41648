"""The plan through the API: read it as YAML or JSON with its version as ETag, replace it
with If-Match, and get the problems of a bad plan as `techpm check` reports them."""

from __future__ import annotations

import json

import yaml

from tests.integration.server.conftest import Team

ATLAS = "Atlas - data center exit to AWS"  # the name of examples/cloud-migration.yaml


def test_the_plan_reads_as_yaml_and_json_with_the_project_version_as_etag(team: Team) -> None:
    project = team.client.get("/api/v1/projects/PAY", headers=team.as_("viewer"))
    assert project.status_code == 200
    version = project.json()["version"]
    assert project.headers["etag"] == f'"{version}"'
    as_yaml = team.client.get("/api/v1/projects/PAY/plan", headers=team.as_("viewer"))
    assert as_yaml.status_code == 200
    assert as_yaml.headers["content-type"].startswith("application/yaml")
    assert as_yaml.headers["etag"] == f'"{version}"'
    as_json = team.client.get(
        "/api/v1/projects/PAY/plan", headers={**team.as_("viewer"), "Accept": "application/json"}
    )
    assert as_json.json() == json.loads(json.dumps(yaml.safe_load(as_yaml.text), default=str))
    ids = as_json.json()["tasks"]
    assert "inventory" in json.dumps(ids)


def _plan(team: Team) -> tuple[str, str]:
    answer = team.client.get("/api/v1/projects/PAY/plan", headers=team.as_("manager"))
    return answer.text, answer.headers["etag"]


def test_a_put_with_the_current_version_replaces_the_plan_and_moves_the_version(
    team: Team,
) -> None:
    text, etag = _plan(team)
    changed = text.replace("name: " + ATLAS, "name: Atlas phase 2", 1)
    assert changed != text
    answer = team.client.put(
        "/api/v1/projects/PAY/plan",
        content=changed,
        headers={**team.as_("manager"), "If-Match": etag, "Content-Type": "application/yaml"},
    )
    assert answer.status_code == 200, answer.text
    new_etag = answer.headers["etag"]
    assert new_etag != etag
    project = team.client.get("/api/v1/projects/PAY", headers=team.as_("viewer")).json()
    assert project["name"] == "Atlas phase 2"
    assert f'"{project["version"]}"' == new_etag


def test_a_stale_put_gets_412_with_the_changes_and_a_missing_if_match_428(team: Team) -> None:
    text, etag = _plan(team)
    first = text.replace("name: " + ATLAS, "name: First", 1)
    headers = {**team.as_("manager"), "Content-Type": "application/yaml"}
    assert (
        team.client.put(
            "/api/v1/projects/PAY/plan", content=first, headers={**headers, "If-Match": etag}
        ).status_code
        == 200
    )
    second = text.replace("name: " + ATLAS, "name: Second", 1)
    stale = team.client.put(
        "/api/v1/projects/PAY/plan", content=second, headers={**headers, "If-Match": etag}
    )
    assert stale.status_code == 412
    problem = stale.json()
    assert stale.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == "precondition.failed"
    assert {"entity": "project", "field": "name", "new": "First"}.items() <= next(
        c for c in problem["changes"] if c["field"] == "name"
    ).items()
    missing = team.client.put("/api/v1/projects/PAY/plan", content=second, headers=headers)
    assert missing.status_code == 428
    assert missing.json()["code"] == "precondition.required"
    forced = team.client.put(
        "/api/v1/projects/PAY/plan", content=second, headers={**headers, "If-Match": "*"}
    )
    assert forced.status_code == 200
    name = team.client.get("/api/v1/projects/PAY", headers=team.as_("viewer")).json()["name"]
    assert name == "Second"


def test_a_bad_plan_gets_422_with_each_problem_at_its_line_and_column(team: Team) -> None:
    bad = "project: {name: X, start: 2027-01-04}\ntasks:\n  - id: a\n"
    bad += "    name: A\n    duration: 3q\n"
    answer = team.client.put(
        "/api/v1/projects/PAY/plan",
        content=bad,
        headers={**team.as_("manager"), "If-Match": "*", "Content-Type": "application/yaml"},
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["status"] == 422
    assert problem["errors"], problem
    first = problem["errors"][0]
    assert first["line"] == 5  # what `techpm check` says of the same file
    assert first["column"] == 15
    assert first["field"] is not None
    assert "duration" in first["field"]
    # nothing was written
    project = team.client.get("/api/v1/projects/PAY", headers=team.as_("viewer")).json()
    assert project["name"] == ATLAS


def test_roles_and_membership_decide_who_may_read_and_write(team: Team) -> None:
    assert team.client.get("/api/v1/projects/PAY").status_code == 401
    hidden = team.client.get("/api/v1/projects/PAY", headers=team.as_("outsider"))
    missing = team.client.get("/api/v1/projects/NOPE", headers=team.as_("outsider"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace("PAY", "X") == missing.json()["detail"].replace(
        "NOPE", "X"
    )
    text, etag = _plan(team)
    for who, status in (("viewer", 403), ("member", 403)):
        answer = team.client.put(
            "/api/v1/projects/PAY/plan",
            content=text,
            headers={**team.as_(who), "If-Match": etag, "Content-Type": "application/yaml"},
        )
        assert answer.status_code == status, who
    read_only = team.client.put(
        "/api/v1/projects/PAY/plan",
        content=text,
        headers={**team.as_("owner", read=True), "If-Match": etag},
    )
    assert read_only.status_code == 403
    assert read_only.json()["code"] == "auth.read_only_token"


def test_a_body_over_the_limit_is_refused_with_413(team: Team) -> None:
    limit = team.client.app.state.context.max_body_bytes  # type: ignore[attr-defined]
    answer = team.client.put(
        "/api/v1/projects/PAY/plan",
        content=b"#" * (limit + 1),
        headers={**team.as_("manager"), "If-Match": "*", "Content-Type": "application/yaml"},
    )
    assert answer.status_code == 413
    assert answer.json()["code"] == "request.too_large"
