"""Twenty clients change the same task at once through a real server process, each with the
ETag it read: every answer is 200 or 412, the task ends as the last accepted write left it,
and the task's history holds exactly the accepted writes, in order, with nothing else."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.integration.remote.conftest import Server

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
CLIENTS = 20
ROUNDS = 3


def _seed(server: Server) -> None:
    with server.api() as api:
        etag = api.get("/projects/PAY").headers["etag"]
        text = (EXAMPLES / "cloud-migration.yaml").read_text()
        put = api.put(
            "/projects/PAY/plan",
            content=text,
            headers={"Content-Type": "application/yaml", "If-Match": etag},
        )
        assert put.status_code == 200, put.text


def test_twenty_clients_on_one_task_lose_no_write(server: Server) -> None:
    _seed(server)
    start = threading.Barrier(CLIENTS)
    url = "/projects/PAY/tasks/inventory"

    def client(number: int) -> list[tuple[int, int, str]]:
        """(status, version, name) of each PATCH this client sent."""
        out = []
        with server.api() as api:
            for attempt in range(ROUNDS):
                etag = api.get(url).headers["etag"]
                if attempt == 0:
                    start.wait()  # every client holds an ETag before anyone writes
                name = f"Inventory by client {number} round {attempt}"
                answer = api.patch(url, json={"name": name}, headers={"If-Match": etag})
                version = answer.json()["version"] if answer.status_code == 200 else -1
                out.append((answer.status_code, version, name))
        return out

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [r for rs in pool.map(client, range(CLIENTS)) for r in rs]
    assert {status for status, _, _ in results} <= {200, 412}, results
    accepted = sorted((v, name) for status, v, name in results if status == 200)
    assert accepted, "at least the first write of a round wins"
    assert len({v for v, _ in accepted}) == len(accepted), "two writes got the same version"
    with server.api() as api:
        final = api.get(url).json()
        history: list[dict[str, Any]] = []
        cursor = None
        while True:
            params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
            page = api.get(url + "/history", params=params).json()
            history += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
    assert final["name"] == accepted[-1][1]
    assert final["version"] == accepted[-1][0]
    renames = sorted(
        (entry["version"], change["new"])
        for entry in history
        for change in entry["changes"]
        if change["field"] == "name"
    )
    assert renames == accepted
