"""The CLI's side of the team server without a server: where tokens are kept (and who may
read them), how the client reads problem documents and ETags, and the errors that are found
before any request is sent."""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from techpm.bootstrap.credentials import credentials_path, load_credentials, save_token
from techpm.cli.main import app
from techpm.interop.server_client import (
    ServerClient,
    ServerError,
    ServerUnavailableError,
    version_of,
)
from techpm.services.demo import project_key

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_tokens_are_stored_per_server_readable_by_the_owner_only(tmp_path: Path) -> None:
    environ = {"TECHPM_CONFIG_DIR": str(tmp_path / "config")}
    path = save_token("http://a.example:8000/", "tpm_one", environ)
    save_token("http://b.example", "tpm_two", environ)
    assert path == credentials_path(environ) == tmp_path / "config" / "credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_credentials(environ) == {
        "http://a.example:8000": "tpm_one",
        "http://b.example": "tpm_two",
    }
    save_token("http://a.example:8000", "tpm_three", environ)  # a new login replaces the old
    assert json.loads(path.read_text())["http://a.example:8000"] == "tpm_three"


def test_the_config_dir_follows_xdg_when_not_named(tmp_path: Path) -> None:
    environ = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": "relative/ignored"}
    assert credentials_path(environ) == tmp_path / ".config" / "techpm" / "credentials.json"
    environ["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    assert credentials_path(environ) == tmp_path / "xdg" / "techpm" / "credentials.json"


@pytest.mark.parametrize(
    ("header", "version"), [('"7"', 7), ('W/"12"', 12), ("3", 3), (None, None), ('"x"', None)]
)
def test_an_etag_is_the_project_version(header: str | None, version: int | None) -> None:
    assert version_of(header) == version


def test_a_stale_write_becomes_an_error_with_the_servers_changes() -> None:
    seen: list[httpx.Request] = []
    change = {"entity": "task", "key": "a", "action": "changed", "field": "name"}

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {
            "type": "https://techpm.dev/problems/precondition.failed",
            "title": "Changed since you read it",
            "status": 412,
            "detail": "the project changed since version 3; it is at version 5",
            "code": "precondition.failed",
            "errors": [{"field": None, "code": "precondition.failed", "message": "stale"}],
            "current_version": 5,
            "changes": [change],
        }
        return httpx.Response(412, json=body, headers={"Content-Type": "application/problem+json"})

    client = ServerClient("http://server", token="tpm_x", transport=httpx.MockTransport(answer))
    with pytest.raises(ServerError) as caught:
        client.put_plan("PAY", "tasks: []\n", if_match=3)
    request = seen[0]
    assert request.headers["If-Match"] == '"3"'
    assert request.headers["Content-Type"] == "application/yaml"
    assert request.headers["Authorization"] == "Bearer tpm_x"
    assert request.url.path == "/api/v1/projects/PAY/plan"
    assert caught.value.code == "precondition.failed"
    assert caught.value.status == 412
    assert caught.value.extra == {"current_version": 5, "changes": [change]}
    assert caught.value.errors[0]["message"] == "stale"


def test_a_plan_is_read_with_its_version_and_a_write_answers_the_new_one() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, text="tasks: []\n", headers={"ETag": '"4"'})
        assert request.headers["If-Match"] == "*"
        return httpx.Response(200, json={"version": 9, "changes": 2}, headers={"ETag": '"9"'})

    with ServerClient("http://server/", transport=httpx.MockTransport(answer)) as client:
        plan = client.get_plan("PAY")
        written = client.put_plan("PAY", plan.text, if_match="*")
    assert (plan.text, plan.version) == ("tasks: []\n", 4)
    assert (written.version, written.changes) == (9, 2)


def test_a_body_that_is_not_a_problem_document_still_says_what_happened() -> None:
    transport = httpx.MockTransport(lambda _r: httpx.Response(502, text="<html>bad gateway"))
    with pytest.raises(ServerError) as caught:
        ServerClient("http://server", transport=transport).me()
    assert caught.value.code == "server.http_502"
    assert "502" in caught.value.message


def test_no_server_listening_is_unavailable() -> None:
    client = ServerClient(f"http://127.0.0.1:{_closed_port()}", timeout=5)
    with pytest.raises(ServerUnavailableError, match="no answer"):
        client.get_plan("PAY")


@pytest.mark.parametrize(
    ("name", "taken", "key"),
    [
        ("cloud-migration.yaml", set(), "CLOUD"),
        ("checkout-backlog.yaml", set(), "CHECKOUT"),
        ("cloud-native.yaml", {"CLOUD"}, "CLOUD2"),
        ("extraordinarily-long.yaml", set(), "EXTRAORDIN"),
        ("extraordinarily-long.yaml", {"EXTRAORDIN"}, "EXTRAORDI2"),
        ("2024-q3-roadmap.yaml", set(), "Q3"),
        ("x.yaml", set(), "XPLAN"),
    ],
)
def test_a_project_key_comes_from_the_file_name(name: str, taken: set[str], key: str) -> None:
    assert project_key(name, taken) == key


@pytest.fixture
def no_server_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("TECHPM_SECRET_KEY", "TECHPM_DEV", "TECHPM_DATABASE_URL", "TECHPM_SERVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TECHPM_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path


def test_serve_without_a_secret_key_exits_3_without_a_traceback(no_server_settings: Path) -> None:
    database = f"sqlite:///{no_server_settings / 'x.db'}"
    result = CliRunner().invoke(app, ["serve", "--database", database])
    assert result.exit_code == 3, result.output
    assert "settings.secret_key" in result.output
    assert "TECHPM_SECRET_KEY" in result.output
    assert "Traceback" not in result.output
    assert not (no_server_settings / "x.db").exists()


def test_serve_with_a_bad_port_exits_3(no_server_settings: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--dev", "--port", "70000"])
    assert result.exit_code == 3, result.output
    assert "TECHPM_PORT" in result.output or "port" in result.output


def test_login_to_a_server_that_is_not_there_says_so(no_server_settings: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    result = CliRunner().invoke(
        app, ["login", url, "--email", "a@example.com", "--password-stdin"], input="pw\n"
    )
    assert result.exit_code == 7, result.output
    assert "server.unavailable" in result.output
    assert url in result.output
    assert not (no_server_settings / "config" / "credentials.json").exists()


def test_push_checks_the_plan_before_any_request(no_server_settings: Path) -> None:
    plan = no_server_settings / "bad.yaml"
    plan.write_text("project: {name: X, start: 2027-01-04}\ntasks:\n  - {id: a, duration: soon}\n")
    url = f"http://127.0.0.1:{_closed_port()}"  # never reached: the plan is checked first
    result = CliRunner().invoke(app, ["push", str(plan), "--project", "PAY", "--server", url])
    assert result.exit_code == 3, result.output
    assert "bad.yaml:3" in result.output


def test_pull_without_a_login_names_the_command_to_run(no_server_settings: Path) -> None:
    output = no_server_settings / "plan.yaml"
    result = CliRunner().invoke(
        app, ["pull", "--project", "PAY", "-o", str(output), "--server", "http://s.example"]
    )
    assert result.exit_code == 1, result.output
    assert "remote.not_logged_in" in result.output
    assert "techpm login http://s.example" in (result.output)
    assert not output.exists()


SERVER_LIBRARIES = ("fastapi", "uvicorn", "httpx", "sqlalchemy", "starlette", "psycopg")


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["push", "--help"]], ids=" ".join)
def test_listing_the_server_commands_imports_no_server_library(args: list[str]) -> None:
    probe = (
        "import sys, json\n"
        "from typer.testing import CliRunner\n"
        "from techpm.cli.main import app\n"
        f"result = CliRunner().invoke(app, {args!r})\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'serve' in result.output or 'PLAN' in result.output or 'techpm' in result.output\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    loaded = set(json.loads(out.strip().splitlines()[-1]))
    assert loaded.isdisjoint(SERVER_LIBRARIES), sorted(loaded & set(SERVER_LIBRARIES))


def test_the_app_process_reads_back_the_settings_serve_was_given(tmp_path: Path) -> None:
    from techpm.bootstrap.settings import load_settings
    from techpm.cli.serve import _environment_for_app

    given = load_settings(
        {"TECHPM_DATA_DIR": str(tmp_path)},
        host="0.0.0.0",
        port=8123,
        database_url=f"sqlite:///{tmp_path / 'team.db'}",
        workers=3,
        dev=True,
    )
    read = load_settings(_environment_for_app(given))  # what each worker builds its app from
    assert read == given
    assert read.secret == given.secret  # one dev key for every worker


def test_serve_on_a_database_that_does_not_answer_exits_7(no_server_settings: Path) -> None:
    database = f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/techpm"
    result = CliRunner().invoke(app, ["serve", "--dev", "--database", database])
    assert result.exit_code == 7, result.output
    assert "database.unavailable" in result.output
    assert "Traceback" not in result.output
