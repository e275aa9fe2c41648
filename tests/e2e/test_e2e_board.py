"""The board in Chromium: items by workflow state, a card dragged to another column is a
status change the server records in the item's history, the same by keyboard, and filters
by assignee."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from tests.e2e.conftest import PASSWORD, WebApp, axe_violations, log_in, screenshot


def _item(web: WebApp, item: str) -> dict[str, Any]:
    login = httpx.post(
        f"{web.url}/api/v1/auth/token", json={"email": web.email("member"), "password": PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    found: dict[str, Any] = httpx.get(
        f"{web.url}/api/v1/projects/CHECKOUT/items/{item}", headers=headers
    ).json()
    return found


def _a_card_to_move(page: Any) -> tuple[str, str, str]:
    """An item in a column with cards, and the next column: (item, from, to)."""
    states = page.locator(".cards").evaluate_all("l => l.map(x => x.dataset.state)")
    for here, there in itertools.pairwise(states):
        cards = page.locator(f'.cards[data-state="{here}"] .card-item')
        if cards.count():
            found: str = cards.first.get_attribute("data-item-id")
            return found, here, there
    raise AssertionError("no card to move")


def test_a_card_dragged_to_another_column_changes_its_status(page: Any, web: WebApp) -> None:
    log_in(page, web, "member", "/projects/CHECKOUT/board")
    item, here, there = _a_card_to_move(page)
    before = _item(web, item)
    card = page.locator(f'.card-item[data-item-id="{item}"]').bounding_box()
    target = page.locator(f'.cards[data-state="{there}"]').bounding_box()
    assert card is not None
    assert target is not None
    start_x, start_y = card["x"] + 20, card["y"] + 10
    end_x, end_y = target["x"] + 30, target["y"] + 20
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    for step in range(1, 21):  # as a hand moves: the board follows frame by frame
        page.mouse.move(
            start_x + (end_x - start_x) * step / 20, start_y + (end_y - start_y) * step / 20
        )
        page.wait_for_timeout(30)
    page.mouse.up()
    page.wait_for_function(
        f"document.getElementById('board-status').textContent.includes('{item}')"
    )
    after = _item(web, item)
    assert after["status"] == there
    assert after["history"][-1]["from"] == here
    assert after["history"][-1]["to"] == there
    assert len(after["history"]) == len(before.get("history", [])) + 1
    assert page.locator(f'.cards[data-state="{there}"] [data-item-id="{item}"]').count() == 1
    assert axe_violations(page) == []
    screenshot(page, "board")


def test_a_card_moves_by_keyboard_too(page: Any, web: WebApp) -> None:
    log_in(page, web, "member", "/projects/CHECKOUT/board")
    item, _, there = _a_card_to_move(page)
    page.focus(f"#move-{item}")
    page.select_option(f"#move-{item}", there)
    page.wait_for_function(
        f"document.getElementById('board-status').textContent.includes('{item}')"
    )
    assert _item(web, item)["status"] == there


def test_the_board_filters_by_assignee(page: Any, web: WebApp) -> None:
    log_in(page, web, "viewer", "/projects/CHECKOUT/board?assignee=raj")
    cards = page.locator(".card-item").evaluate_all("c => c.map(x => x.dataset.itemId)")
    assert cards
    for item in cards:
        assert "raj" in [a["resource"] for a in _item(web, item).get("assign", [])]
    assert page.locator("[data-move]").count() == 0  # a viewer moves nothing
