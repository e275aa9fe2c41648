"""The web app in a real browser: `techpm demo` (every example plan as a project, one user
per role) served on a free port, and Debian's Chromium driven by Playwright. Without
Chromium or Playwright the tests skip with the reason; under CI=true they must run.
Screenshots of the pages land in `.artifacts/screenshots/`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from techpm.persistence.database import make_engine
from tests.integration.conftest import postgres_url

__all__ = ["postgres_url"]

ROOT = Path(__file__).resolve().parents[2]
TECHPM = str(Path(sys.executable).parent / "techpm")
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "demo-password-1"
SHOTS = ROOT / ".artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (make installs it)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)"
    if not AXE.exists():
        return f"no {AXE.relative_to(ROOT)} (make installs the npm packages)"
    return None


def need_browser() -> None:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests must run under CI: {reason}")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class WebApp:
    url: str

    def email(self, role: str) -> str:
        return f"{role}@demo.techpm"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """The demo's database: its SQLite file, or a fresh PostgreSQL schema (under CI=true the
    PostgreSQL run is mandatory; elsewhere it runs when the server answers)."""
    if request.param == "sqlite":
        yield None
        return
    url = request.getfixturevalue("postgres_url")
    schema = f"e2e_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        joiner = "&" if "?" in url else "?"  # the schema travels in the URL to the server
        yield f"{url}{joiner}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, database: str | None) -> Iterator[WebApp]:
    need_browser()
    folder = tmp_path_factory.mktemp("demo")
    port = _free_port()
    log = folder / "demo.log"
    env = {**os.environ, "TECHPM_DATA_DIR": str(folder / "data"), "TECHPM_JOB_WORKERS": "1"}
    env.pop("TECHPM_DATABASE_URL", None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                TECHPM,
                "demo",
                "--dir",
                str(folder / "db"),
                "--port",
                str(port),
                "--examples",
                str(ROOT / "examples"),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"techpm demo exited {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"techpm demo did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield WebApp(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page at 1280x800 that must load nothing from the network beyond the server."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    outside: list[str] = []
    failed: list[str] = []

    def seen(request: Any) -> None:
        if not request.url.startswith(("http://127.0.0.1:", "data:", "about:")):
            outside.append(request.url)

    context.on("request", seen)
    context.on(
        "response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 500 else None
    )
    try:
        yield context.new_page()
    finally:
        context.close()
    assert outside == [], "the pages loaded something from the network"
    assert failed == [], "the server failed a request of the pages"


def log_in(page: Any, web: WebApp, role: str = "manager", target: str = "/projects") -> None:
    page.goto(f"{web.url}/login?next={target}")
    page.fill("input[name=email]", web.email(role))
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{web.url}{target}")


def screenshot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical findings of axe-core on the page as it is."""
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"
    )
    return found
