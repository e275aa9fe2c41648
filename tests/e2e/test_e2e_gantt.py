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


def test_clicking_a_task_tells_why_it_starts_then(page: Any, web: WebApp) -> None:
    _open(page, web, "CLOUD", role="viewer")
    page.click(BAR.format("tco"))
    page.wait_for_selector("#task-panel:not([hidden])")
    steps = page.locator("#task-panel-why li").evaluate_all(
        "items => items.map(i => i.dataset.step)"
    )
    with _api(web) as api:
        chain = api.get("/projects/CLOUD/tasks/tco/explain").json()["steps"]
    assert steps == [step["task"] for step in chain]
    assert "inventory" in page.inner_text("#task-panel-why")
    assert axe_violations(page) == []
    screenshot(page, "gantt-explain")


def test_a_drawn_link_changes_the_critical_path(page: Any, web: WebApp) -> None:
    before = _schedule(web, "FIRMWARE")
    with _api(web) as api:
        links = api.get("/projects/FIRMWARE/dependencies", params={"limit": 500}).json()["items"]
    source, target = _a_link_to_draw(before, links)
    _open(page, web, "FIRMWARE")
    page.click("[data-zoom=month]")
    page.evaluate("id => gantt.showTask(id)", source)
    loaded = page.get_attribute("#gantt", "data-version")
    start = page.locator(BAR.format(source))
    start.hover()
    start.locator(".gantt_link_control.task_end_date .gantt_link_point").hover()
    page.mouse.down()
    end = page.locator(BAR.format(target))
    end_box = end.bounding_box()
    assert end_box is not None
    page.mouse.move(end_box["x"] + 2, end_box["y"] + end_box["height"] / 2, steps=10)
    end.locator(".gantt_link_control.task_start_date .gantt_link_point").hover()
    page.mouse.up()
    page.wait_for_function(
        f"document.getElementById('gantt').dataset.version !== '{loaded}'", timeout=15_000
    )
    after = _schedule(web, "FIRMWARE")
    with _api(web) as api:
        link = api.get(f"/projects/FIRMWARE/dependencies/{source}->{target}")
    assert link.status_code == 200, link.text
    assert link.json()["type"] == "FS"
    assert after[target]["start"] >= after[source]["finish"]
    assert after[source]["critical"]  # the new link made the late task drive the finish
    assert not before[source]["critical"]
    page.evaluate("id => gantt.showTask(id)", source)
    assert "critical" in (page.locator(BAR.format(source)).get_attribute("class") or "")
    screenshot(page, "gantt-after-link")


def _a_link_to_draw(
    tasks: dict[str, dict[str, Any]], links: list[dict[str, Any]]
) -> tuple[str, str]:
    """A task off the critical path and a critical task that starts before it finishes (so
    a finish-to-start link between them delays the critical one), without making a loop."""
    before: dict[str, set[str]] = {}
    for link in links:
        before.setdefault(link["successor"], set()).add(link["predecessor"])

    def upstream(task: str) -> set[str]:
        seen, todo = set(), [task]
        while todo:
            for p in before.get(todo.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return seen

    leaves = [t for t in tasks.values() if not t["summary"] and not t["milestone"]]
    for slack in sorted((t for t in leaves if not t["critical"]), key=lambda t: t["start"]):
        for late in sorted((t for t in leaves if t["critical"]), key=lambda t: t["start"]):
            if (
                slack["start"] < late["start"] < slack["finish"]
                and late["id"] not in upstream(slack["id"])
                and slack["parent"] != late["id"]
            ):
                return slack["id"], late["id"]
    raise AssertionError("no pair of tasks to link in this plan")


def test_two_people_see_each_others_change_live(browser: Any, web: WebApp) -> None:
    first, second = (browser.new_context(viewport={"width": 1280, "height": 800}) for _ in "ab")
    try:
        mover, watcher = first.new_page(), second.new_page()
        _open(mover, web, "FIRMWARE")
        _open(watcher, web, "FIRMWARE", role="owner")
        watcher.wait_for_timeout(500)  # its event stream is open
        seen = watcher.get_attribute("#gantt", "data-version")
        before = _schedule(web, "FIRMWARE")
        mover.click("[data-zoom=day]")
        mover.evaluate("id => gantt.showTask(id)", "schematic")
        box = mover.locator(BAR.format("schematic")).bounding_box()
        assert box is not None
        mover.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        mover.mouse.down()
        mover.mouse.move(box["x"] + box["width"] / 2 + 150, box["y"] + box["height"] / 2, steps=10)
        mover.mouse.up()
        watcher.wait_for_function(
            f"document.getElementById('gantt').dataset.version !== '{seen}'", timeout=15_000
        )
        assert "changed" in watcher.inner_text("#gantt-status")
        after = _schedule(web, "FIRMWARE")
        assert after["schematic"]["start"] > before["schematic"]["start"]
        start = watcher.evaluate(
            "() => { const d = gantt.getTask('schematic').start_date;"
            " return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-'"
            " + String(d.getDate()).padStart(2, '0'); }"
        )
        assert start == after["schematic"]["start"][:10]  # the watcher drew the new date
    finally:
        first.close()
        second.close()
