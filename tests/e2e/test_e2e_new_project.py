"""A project made in the browser from an MS Project file of ../shared/samples/: the form
uploads it, the project opens in the Gantt with the tasks `techpm import` reads from the
same file; a file that is not a plan is refused next to the field and leaves no project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from techpm.services.exchange import import_file
from tests.e2e.conftest import PASSWORD, ROOT, WebApp, axe_violations, log_in, screenshot

SAMPLE = ROOT.parent / "shared" / "samples" / "mspdi" / "sample.xml"


def _projects(web: WebApp) -> list[str]:
    login = httpx.post(
        f"{web.url}/api/v1/auth/token", json={"email": web.email("manager"), "password": PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    answer = httpx.get(f"{web.url}/api/v1/projects", headers=headers).json()
    return [p["key"] for p in answer["items"]]


def test_a_project_is_made_from_an_ms_project_file(page: Any, web: WebApp) -> None:
    log_in(page, web)
    assert axe_violations(page) == []
    page.fill("#new-key", "MSP")
    page.fill("#new-name", "From MS Project")
    page.set_input_files("#new-file", str(SAMPLE))
    page.click("text=Create the project")
    page.wait_for_url(f"{web.url}/projects/MSP/gantt")
    page.wait_for_selector("#gantt[data-loaded=true]")
    expected = {t.id for t in import_file(SAMPLE, "mspdi").project.tasks}
    drawn = set(page.locator("[data-task-id]").evaluate_all("e => e.map(x => x.dataset.taskId)"))
    assert drawn
    assert drawn <= expected
    assert "MSP" in _projects(web)
    screenshot(page, "gantt-imported")


def test_a_file_that_is_not_a_plan_is_refused_and_leaves_nothing(
    page: Any, web: WebApp, tmp_path: Path
) -> None:
    bad = tmp_path / "notes.xml"
    bad.write_text("<not-a-project/>")
    log_in(page, web)
    page.fill("#new-key", "BAD")
    page.set_input_files("#new-file", str(bad))
    page.click("text=Create the project")
    error = page.locator("#new-error")
    assert error.count() == 1
    assert "import." in error.inner_text() or "planfile." in error.inner_text()
    assert page.get_attribute("#new-file", "aria-invalid") == "true"
    assert page.input_value("#new-key") == "BAD"
    assert "BAD" not in _projects(web)
