"""Logging in, the portfolio and a project's overview, in Chromium: what a person sees and
does, checked against the CLI's schedule of the same example plan, and the accessibility
check (axe-core: no serious or critical violation) on every page."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
from typer.testing import CliRunner

from techpm.cli.main import app as cli
from tests.e2e.conftest import PASSWORD, ROOT, WebApp, axe_violations, log_in, screenshot


def _cli_finish(plan: Path) -> str:
    result = CliRunner().invoke(cli, ["schedule", str(plan), "--format", "json"])
    assert result.exit_code == 0, result.output
    finish: str = json.loads(result.stdout)["project"]["finish"]
    return finish[:10]


def test_logging_in_leads_to_the_projects(page: Any, web: WebApp) -> None:
    page.goto(f"{web.url}/projects")
    assert "/login" in page.url  # not signed in: sent to log in first
    screenshot(page, "login")
    log_in(page, web)
    keys = page.locator("tr[data-project]").evaluate_all("rows => rows.map(r => r.dataset.project)")
    assert keys == sorted(keys)
    assert "CLOUD" in keys
    row = page.locator('tr[data-project="CLOUD"]')
    assert _cli_finish(ROOT / "examples" / "cloud-migration.yaml") in row.inner_text()
    screenshot(page, "projects")


def test_a_wrong_password_is_told_next_to_the_field(page: Any, web: WebApp) -> None:
    page.goto(f"{web.url}/login")
    page.fill("input[name=email]", web.email("manager"))
    page.fill("input[name=password]", PASSWORD + "x")
    page.click("button[type=submit]")
    error = page.locator("#login-error")
    assert "auth.invalid_credentials" in error.inner_text()
    assert page.get_attribute("input[name=password]", "aria-invalid") == "true"
    assert page.input_value("input[name=email]") == web.email("manager")


def test_a_page_asked_for_before_logging_in_is_shown_after(page: Any, web: WebApp) -> None:
    page.goto(f"{web.url}/projects/CLOUD")
    assert "next=%2Fprojects%2FCLOUD" in page.url
    page.fill("input[name=email]", web.email("viewer"))
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{web.url}/projects/CLOUD")
    finish = page.locator("dl.facts >> text=Finish").locator("xpath=..").inner_text()
    assert _cli_finish(ROOT / "examples" / "cloud-migration.yaml") in finish
    assert page.locator("tr[data-task-id=m_done]").count() == 1
    screenshot(page, "project-overview")


def test_a_project_one_is_not_in_is_not_found(page: Any, web: WebApp) -> None:
    log_in(page, web)
    answer = page.goto(f"{web.url}/projects/NOSUCH")
    assert answer is not None
    assert answer.status == 404


def test_logging_out_ends_the_session(page: Any, web: WebApp) -> None:
    log_in(page, web)
    page.click("text=Log out")
    page.wait_for_url(f"{web.url}/login")
    page.goto(f"{web.url}/projects")
    assert "/login" in page.url


def test_every_page_passes_the_accessibility_check(page: Any, web: WebApp) -> None:
    page.goto(f"{web.url}/login")
    found = {"/login": axe_violations(page)}
    log_in(page, web)
    for path in ("/projects", "/projects/CLOUD", "/projects/MOBILE"):
        page.goto(web.url + path)
        found[path] = axe_violations(page)
    assert found == {path: [] for path in found}


def test_pages_fit_a_phone(browser: Any, web: WebApp) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        log_in(page, web)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1  # the table scrolls inside itself, not the page
        screenshot(page, "projects-phone")
    finally:
        context.close()


def test_the_pdf_report_downloads_with_the_projects_text(
    page: Any, web: WebApp, tmp_path: Path
) -> None:
    import shutil
    import subprocess

    log_in(page, web, "viewer", "/projects/CLOUD/report")
    page.wait_for_selector("iframe.report")
    assert "Atlas" in page.frame_locator("iframe.report").locator("body").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "report")
    with page.expect_download() as download:
        page.click("text=Download PDF")
    saved = tmp_path / "status.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext") is None:  # .ci/run installs poppler-utils
        assert os.environ.get("CI") != "true", "pdftotext is needed to read the report's text"
        return
    text = subprocess.run(
        ["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Atlas - data center exit to AWS" in text


def test_a_simulation_runs_as_a_job_with_its_progress_and_result(page: Any, web: WebApp) -> None:
    log_in(page, web, "viewer", "/projects/MOBILE/risks")
    assert page.locator("tr[data-risk]").count() == 4
    page.fill("#sim-iterations", "3000")
    page.fill("#sim-seed", "7")
    page.click("text=Run the simulation")
    page.wait_for_selector("#sim-finish:not([hidden])", timeout=60_000)
    assert page.evaluate("document.getElementById('sim-progress').value") == 1
    shown = dict(
        page.locator("#sim-finish tbody tr").evaluate_all(
            "rows => rows.map(r => [r.cells[0].textContent, r.cells[1].textContent])"
        )
    )
    result = CliRunner().invoke(
        cli,
        [
            "simulate",
            str(ROOT / "examples" / "mobile-app-launch.yaml"),
            "--iterations",
            "3000",
            "--seed",
            "7",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    expected = json.loads(result.stdout)
    assert shown == {k.upper(): v for k, v in expected["finish"].items()}  # the CLI, same seed
    risks = page.locator("#sim-risks tbody tr td:first-child").all_inner_texts()
    assert sorted(risks) == sorted(r["id"] for r in expected["risk_sensitivity"])
    assert axe_violations(page) == []
    screenshot(page, "risks")


def test_the_history_shows_who_changed_what(page: Any, web: WebApp) -> None:
    login = httpx.post(
        f"{web.url}/api/v1/auth/token", json={"email": web.email("manager"), "password": PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['token']}", "If-Match": "*"}
    changed = httpx.patch(
        f"{web.url}/api/v1/projects/CHECKOUT/tasks/cart-2",
        json={"notes": "checked in the browser"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    log_in(page, web, "viewer", "/projects/CHECKOUT/history")
    newest = page.locator("article.change").first
    assert web.email("manager") in newest.inner_text()
    assert "checked in the browser" in newest.inner_text()
    assert newest.get_attribute("data-version") == str(changed.json()["version"])
    newest.locator("a", has_text="cart-2").first.click()
    page.wait_for_url("**/history?task=cart-2")
    assert page.locator("article.change").count() >= 2  # created, then changed
    assert axe_violations(page) == []
    screenshot(page, "history")


def test_a_manager_changes_a_role_and_a_viewer_sees_no_controls(page: Any, web: WebApp) -> None:
    log_in(page, web, "manager", "/projects/CLOUD/members")
    row = page.locator(f'tr[data-member="{web.email("member")}"]')
    row.locator("select").select_option("viewer")
    row.locator("text=Save").click()
    page.wait_for_url("**/projects/CLOUD/members")
    assert "viewer" in page.locator(f'tr[data-member="{web.email("member")}"]').inner_text()
    owner_row = page.locator(f'tr[data-member="{web.email("owner")}"]')
    assert owner_row.locator("select").count() == 0  # a manager cannot change an owner
    assert axe_violations(page) == []
    screenshot(page, "members")
    page.goto(f"{web.url}/projects/CLOUD/members")
    row = page.locator(f'tr[data-member="{web.email("member")}"]')
    row.locator("select").select_option("member")
    row.locator("text=Save").click()
    page.wait_for_url("**/projects/CLOUD/members")


def test_a_viewer_sees_no_edit_controls(page: Any, web: WebApp) -> None:
    log_in(page, web, "viewer", "/projects/CLOUD/members")
    assert page.locator("main select, main form button").count() == 0
    page.goto(f"{web.url}/projects/CLOUD/gantt")
    page.wait_for_selector("#gantt[data-loaded=true]")
    assert page.get_attribute("#gantt", "data-editable") == "false"
    assert page.locator(".gantt_link_control").count() == 0  # no handles to draw links
