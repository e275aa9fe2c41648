"""login -> push -> pull against a real `techpm serve` process: the plan comes back as it went,
and a push based on a version someone else has moved on from is refused until forced."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.dump.plan import plan_document
from techpm.interop.planfile.loader import load_plan_document
from tests.integration.remote.conftest import EMAIL, PASSWORD, Server

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def techpm(*args: str, input: str | None = None) -> tuple[int, str]:
    from techpm.cli.main import app

    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.output


def plan_of(path: Path) -> dict[str, object]:
    """The plan as data, whatever its layout and comments."""
    project = load_plan_document(YamlDocument(str(path), path.read_text())).project
    return plan_document(project)


def logged_in(server: Server) -> None:
    code, out = techpm(
        "login", server.url, "--email", EMAIL, "--password-stdin", input=PASSWORD + "\n"
    )
    assert code == 0, out
    assert EMAIL in out


def test_push_then_pull_gives_back_the_same_plan(server: Server, tmp_path: Path) -> None:
    logged_in(server)
    plan = tmp_path / "pay.yaml"
    shutil.copy(EXAMPLES / "cloud-migration.yaml", plan)

    code, out = techpm("push", str(plan), "--project", "PAY", "--yes")  # PAY has no tasks yet
    assert code == 0, out
    sidecar = json.loads((tmp_path / "pay.server.json").read_text())
    assert sidecar["url"] == server.url
    assert sidecar["project"] == "PAY"
    with server.api() as api:
        etag = api.get("/projects/PAY").headers["ETag"]
    assert etag == f'"{sidecar["version"]}"'

    pulled = tmp_path / "pulled.yaml"
    code, out = techpm("pull", "--project", "PAY", "--output", str(pulled))
    assert code == 0, out
    assert plan_of(pulled) == plan_of(plan)
    assert (
        json.loads((tmp_path / "pulled.server.json").read_text())["version"] == (sidecar["version"])
    )

    code, out = techpm("push", str(pulled), "--project", "PAY", "--yes")
    assert code == 0, out
    assert "nothing to push" in out


def test_a_stale_push_is_refused_with_the_servers_changes(server: Server, tmp_path: Path) -> None:
    logged_in(server)
    with server.api() as api:  # PAY gets tasks through the API, by someone else
        text = (EXAMPLES / "cloud-migration.yaml").read_text()
        put = api.put("/projects/PAY/plan", content=text, headers=_write_headers("*"))
        assert put.status_code in (200, 201), put.text
    mine = tmp_path / "mine.yaml"
    shutil.copy(EXAMPLES / "cloud-migration.yaml", mine)
    _add_task(mine, "early", "Added before any pull")
    code, out = techpm("push", str(mine), "--project", "PAY", "--yes")
    assert code == 1, out  # never pulled, and PAY has tasks: not overwritten blindly
    assert "remote.not_pulled" in out
    assert "early" not in _server_plan(server)

    code, out = techpm("pull", "--project", "PAY", "--output", str(mine))
    assert code == 0, out
    pulled_version = json.loads((tmp_path / "mine.server.json").read_text())["version"]

    with server.api() as api:  # someone renames a task on the server after my pull
        current = api.get("/projects/PAY/plan")
        theirs = _renamed_first_task(current.text, "Renamed on the server")
        put = api.put("/projects/PAY/plan", content=theirs, headers=_write_headers(current))
        assert put.status_code in (200, 201), put.text

    _add_task(mine, "mine-only", "Added in my file")
    code, out = techpm("push", str(mine), "--project", "PAY", "--yes")
    assert code == 1, out
    assert "changed on the server since" in out
    assert f"version {pulled_version}" in out
    assert "Renamed on the server" in out
    assert "--force" in out
    assert "mine-only" not in _server_plan(server)

    code, out = techpm("push", str(mine), "--project", "PAY", "--yes", "--force")
    assert code == 0, out
    assert "mine-only" in _server_plan(server)
    again = tmp_path / "again.yaml"
    assert techpm("pull", "--project", "PAY", "-o", str(again))[0] == 0
    assert plan_of(again) == plan_of(mine)


def _write_headers(version: object) -> dict[str, str]:
    match = "*" if version == "*" else version.headers["ETag"]  # type: ignore[attr-defined]
    return {"Content-Type": "application/yaml", "If-Match": match}


def _server_plan(server: Server) -> str:
    with server.api() as api:
        return api.get("/projects/PAY/plan").text


def _renamed_first_task(text: str, name: str) -> str:
    import yaml

    data = yaml.safe_load(text)
    data["tasks"][0]["name"] = name
    return yaml.safe_dump(data, sort_keys=False)


def _add_task(path: Path, task_id: str, name: str) -> None:
    import yaml

    data = yaml.safe_load(path.read_text())
    data["tasks"].append({"id": task_id, "name": name, "duration": "2d"})
    path.write_text(yaml.safe_dump(data, sort_keys=False))
