"""The Gantt in Chromium: every task drawn with `data-task-id`, the critical ones with the
class `critical` (as the server's schedule says), a dragged task saved with If-Match and its
successors moved by the server's reschedule, a drawn link that changes the critical path,
and a viewer who can move nothing."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.conftest import PASSWORD, WebApp, axe_violations, log_in, screenshot

BAR = ".gantt_task_line[data-task-id='{}']"


def _api(web: WebApp, role: str = "manager") -> httpx.Client:
    login = httpx.post(
        f"{web.url}/api/v1/auth/token", json={"email": web.email(role), "password": PASSWORD}
    )
    token = login.json()["token"]
    return httpx.Client(base_url=f"{web.url}/api/v1", headers={"Authorization": f"Bearer {token}"})


def _schedule(web: WebApp, key: str) -> dict[str, dict[str, Any]]:
    with _api(web) as api:
        return {t["id"]: t for t in api.get(f"/projects/{key}/schedule").json()["tasks"]}


def _open(page: Any, web: WebApp, key: str, role: str = "manager") -> None:
    log_in(page, web, role, f"/projects/{key}/gantt")
    page.wait_for_selector("#gantt[data-loaded=true]")


def test_every_task_is_drawn_and_the_critical_ones_are_marked(page: Any, web: WebApp) -> None:
    _open(page, web, "FIRMWARE")
    tasks = _schedule(web, "FIRMWARE")
    drawn = page.locator(".gantt_task_line[data-task-id]").evaluate_all(
        "bars => bars.map(b => [b.dataset.taskId, b.classList.contains('critical')])"
    )
    assert {task for task, _ in drawn} <= set(tasks)
    visible = {task for task, _ in drawn}
    assert visible  # the chart drew bars
    for task, critical in drawn:
        assert critical == tasks[task]["critical"], task
    assert axe_violations(page) == []
    screenshot(page, "gantt")


def test_a_dragged_task_moves_its_successors(page: Any, web: WebApp) -> None:
    before = _schedule(web, "CLOUD")
    _open(page, web, "CLOUD")
    page.click("[data-zoom=day]")
    bar = page.locator(BAR.format("inventory"))
    box = bar.bounding_box()
    successor = page.locator(BAR.format("tco")).bounding_box()
    assert box is not None
    assert successor is not None
    loaded = page.get_attribute("#gantt", "data-version")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 200, box["y"] + box["height"] / 2, steps=10)
    page.mouse.up()
    page.wait_for_function(
        f"document.getElementById('gantt').dataset.version !== '{loaded}'", timeout=15_000
    )
    after = _schedule(web, "CLOUD")
    assert after["inventory"]["start"] > before["inventory"]["start"]
    assert after["tco"]["start"] > before["tco"]["start"]  # the server moved the successor
    moved = page.locator(BAR.format("tco")).bounding_box()
    assert moved is not None
    assert moved["x"] > successor["x"] + 100
    assert "Saved" in page.inner_text("#gantt-status")
    with _api(web) as api:
        constraint = api.get("/projects/CLOUD/tasks/inventory").json()["constraint"]
    assert constraint["type"] == "start_no_earlier_than"
    screenshot(page, "gantt-after-drag")


def test_a_viewer_sees_the_chart_but_cannot_move_it(page: Any, web: WebApp) -> None:
    before = _schedule(web, "MOBILE")
    _open(page, web, "MOBILE", role="viewer")
    assert page.get_attribute("#gantt", "data-editable") == "false"
    bar = page.locator(".gantt_task_line[data-task-id]:not(.gantt_project)").first
    box = bar.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 5, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 300, box["y"] + box["height"] / 2, steps=10)
    page.mouse.up()
    page.wait_for_timeout(500)
    assert _schedule(web, "MOBILE") == before
    with _api(web, "viewer") as api:  # and a forced write is refused by the server
        refused = api.patch(
            "/projects/MOBILE/tasks/prd", json={"name": "x"}, headers={"If-Match": "*"}
        )
    assert refused.status_code == 403
