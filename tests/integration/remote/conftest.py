"""A real `techpm serve --dev` process on a free port, on SQLite and on PostgreSQL, with one
user who owns an empty project `PAY`; the CLI under test keeps its token in a folder of its
own (TECHPM_CONFIG_DIR)."""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from techpm.persistence.database import make_engine
from tests.integration.conftest import postgres_url

__all__ = ["postgres_url"]

TECHPM = str(Path(sys.executable).parent / "techpm")
EMAIL = "owner@example.com"
PASSWORD = "correct horse battery"
START_SECONDS = 60.0


@dataclass(frozen=True)
class Server:
    url: str
    database: str
    token: str  # the owner's, for changes made "by someone else" through the API

    def api(self) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.Client(base_url=self.url + "/api/v1", headers=headers, timeout=30)


def _missing_server() -> str | None:
    """Why the server cannot run yet, if it cannot."""
    for module in ("techpm.server.app", "techpm.services.plan_diff"):
        try:
            importlib.import_module(module)
        except ImportError as exc:
            return f"{module} cannot be imported yet ({exc})"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"techpm serve exited {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"techpm serve did not answer /healthz in {START_SECONDS} s:\n{log.read_text()}")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'x.db'}"
        return
    url = request.getfixturevalue("postgres_url")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def server(database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    reason = _missing_server()
    if reason is not None:
        pytest.skip(f"the round trip needs the team server: {reason}")
    monkeypatch.setenv("TECHPM_CONFIG_DIR", str(tmp_path / "config"))
    for name in ("TECHPM_SERVER", "TECHPM_DATABASE_URL", "TECHPM_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    env = {**os.environ, "TECHPM_DATA_DIR": str(tmp_path / "data")}
    subprocess.run([TECHPM, "db", "upgrade", "--database", database], check=True, env=env)
    subprocess.run(
        [
            TECHPM,
            "user",
            "add",
            EMAIL,
            "--name",
            "Owner",
            "--password-stdin",
            "--database",
            database,
        ],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        env=env,
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [TECHPM, "serve", "--dev", "--database", database, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        _wait_until_up(url, process, log)
        login = httpx.post(
            url + "/api/v1/auth/token", json={"email": EMAIL, "password": PASSWORD}, timeout=30
        )
        assert login.status_code == 201, login.text
        found = Server(url, database, login.json()["token"])
        with found.api() as api:
            created = api.post("/projects", json={"key": "PAY", "name": "Payments"})
        assert created.status_code == 201, created.text
        yield found
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
