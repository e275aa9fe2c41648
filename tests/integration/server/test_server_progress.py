"""A status sheet through the API: the rows of `techpm progress`'s CSV, as CSV or JSON,
recorded into the stored plan all or nothing, with every bad row named."""

from __future__ import annotations

from typing import Any

from tests.integration.server.conftest import Team

URL = "/api/v1/projects/PAY/progress"
ROWS = [
    {
        "task": "inventory",
        "actual_start": "2027-01-05",
        "actual_finish": "2027-01-25",
        "percent_complete": 100,
    },
    {
        "task": "depmap",
        "actual_start": "2027-01-08",
        "percent_complete": "40",
        "notes": "waiting on flow logs",
    },
]
CSV = (
    "task,actual_start,actual_finish,percent_complete,notes\n"
    "inventory,2027-01-05,2027-01-25,100,\n"
    "depmap,2027-01-08,,40,waiting on flow logs\n"
)


def tasks(team: Team) -> dict[str, dict[str, Any]]:
    """The stored plan's tasks by id, read back through the API."""
    headers = {**team.as_("viewer"), "Accept": "application/json"}
    plan = team.client.get("/api/v1/projects/PAY/plan", headers=headers).json()
    found: dict[str, dict[str, Any]] = {}
    pending = list(plan["tasks"])
    while pending:
        task = pending.pop()
        found[task["id"]] = task
        pending.extend(task.get("children", []))
    return found


def version(team: Team) -> int:
    answer = team.client.get("/api/v1/projects/PAY", headers=team.as_("viewer"))
    return int(answer.json()["version"])


def test_a_valid_sheet_records_actuals_and_percent_complete(team: Team) -> None:
    before = version(team)
    body = {"rows": ROWS, "status_date": "2027-01-29"}
    answer = team.client.post(URL, json=body, headers=team.as_("member"))
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["version"] > before
    assert answer.headers["etag"] == f'"{result["version"]}"'
    assert result["version"] == version(team)
    assert result["updated"] == ["inventory", "depmap"]
    assert isinstance(result["change_set"], int)
    stored = tasks(team)
    assert stored["inventory"]["percent_complete"] == 100
    assert str(stored["inventory"]["actual_start"]).startswith("2027-01-05")
    assert str(stored["inventory"]["actual_finish"]).startswith("2027-01-25")
    assert stored["depmap"]["percent_complete"] == 40
    assert str(stored["depmap"]["actual_start"]).startswith("2027-01-08")
    assert "actual_finish" not in stored["depmap"]
    assert "actual_start" not in stored["tco"]  # a task the sheet does not name stays as it was
    project = team.client.get("/api/v1/projects/PAY", headers=team.as_("viewer")).json()
    assert project["status_date"] == "2027-01-29"
    history = team.client.get("/api/v1/projects/PAY/history", headers=team.as_("viewer"))
    assert history.json()["items"][0]["summary"] == "progress as of 2027-01-29"


def test_one_bad_row_changes_nothing_and_every_bad_field_is_named(team: Team) -> None:
    before, stored = version(team), tasks(team)
    rows = [
        ROWS[0],
        {"task": "depmap", "percent_complete": 140},
        {"task": "no_such_task", "percent_complete": 10},
        {"task": "tco", "actual_start": "2027-02-10", "actual_finish": "2027-02-01"},
        {"task": "dms_setup", "actual_cost": [5]},
    ]
    answer = team.client.post(URL, json={"rows": rows}, headers=team.as_("member"))
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == "progress.invalid_sheet"
    fields = {(e["field"], e["code"]) for e in problem["errors"]}
    assert fields == {
        ("rows[1].percent_complete", "progress.bad_value"),
        ("rows[2].task", "progress.unknown_task"),
        ("rows[3].actual_finish", "progress.finish_before_start"),
        ("rows[4].actual_cost", "progress.bad_value"),
    }
    assert version(team) == before
    assert tasks(team) == stored  # not even the good first row was recorded


def test_csv_names_the_line_of_each_bad_row(team: Team) -> None:
    before = version(team)
    sheet = "task,percent_complete\ninventory,50\ndepmap,abc\n"
    headers = {**team.as_("member"), "Content-Type": "text/csv"}
    answer = team.client.post(URL, content=sheet, headers=headers)
    assert answer.status_code == 422, answer.text
    assert [(e["field"], e["line"]) for e in answer.json()["errors"]] == [
        ("rows[1].percent_complete", 3)
    ]
    misspelled = team.client.post(URL, content="task,percent\ninventory,5\n", headers=headers)
    assert misspelled.status_code == 422
    assert misspelled.json()["errors"][0]["field"] == "percent"
    assert misspelled.json()["errors"][0]["code"] == "progress.unknown_column"
    assert version(team) == before


def test_csv_and_json_record_the_same_plan(team: Team) -> None:
    original = team.client.get("/api/v1/projects/PAY/plan", headers=team.as_("owner")).text
    as_json = team.client.post(URL, json=ROWS, headers=team.as_("member"))
    assert as_json.status_code == 200, as_json.text
    from_json = tasks(team)
    restore = team.client.put(
        "/api/v1/projects/PAY/plan",
        content=original,
        headers={
            **team.as_("owner"),
            "If-Match": as_json.headers["etag"],
            "Content-Type": "application/yaml",
        },
    )
    assert restore.status_code == 200, restore.text
    assert tasks(team) != from_json
    headers = {**team.as_("member"), "Content-Type": "text/csv"}
    as_csv = team.client.post(URL, content=CSV, headers=headers)
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.json()["updated"] == as_json.json()["updated"]
    assert tasks(team) == from_json
    again = team.client.post(URL, content=CSV, headers=headers)
    assert again.status_code == 200
    assert again.json() == {"version": as_csv.json()["version"], "updated": [], "change_set": None}


def test_if_match_is_optional_and_a_stale_one_is_refused(team: Team) -> None:
    current = version(team)
    stale = {**team.as_("member"), "If-Match": f'"{current - 1}"'}
    refused = team.client.post(URL, json=ROWS, headers=stale)
    assert refused.status_code == 412
    assert version(team) == current
    fresh = {**team.as_("member"), "If-Match": f'"{current}"'}
    assert team.client.post(URL, json=ROWS, headers=fresh).status_code == 200


def test_a_viewer_may_not_record_progress_and_bad_bodies_are_422(team: Team) -> None:
    assert team.client.post(URL, json=ROWS, headers=team.as_("viewer")).status_code == 403
    member = team.as_("member")
    bad_json = team.client.post(
        URL, content=b"{nope", headers={**member, "Content-Type": "application/json"}
    )
    assert bad_json.status_code == 422
    assert bad_json.json()["code"] == "request.bad_json"
    not_rows = team.client.post(URL, json={"rows": "x"}, headers=member)
    assert not_rows.status_code == 422
    bad_date = team.client.post(URL, json={"rows": ROWS, "status_date": "soon"}, headers=member)
    assert bad_date.status_code == 422
    assert bad_date.json()["errors"][0]["field"] == "status_date"
    other = team.client.post(URL, content="x", headers={**member, "Content-Type": "text/plain"})
    assert other.status_code == 415
