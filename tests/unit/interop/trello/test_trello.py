"""Trello board exports: open cards as a backlog with their list moves as history, and
files that must be refused with the JSON path named."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from techpm.interop.exchange import ImportFailed
from techpm.interop.trello import read_trello
from techpm.services.planning import schedule_plan

from .support import SAMPLES, by_id, needs_samples, validate

BOARD_ID = "5a20253af52b5167cd7fbd34"  # created 2017-11-30 15:24:10 UTC


def board(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": BOARD_ID,
        "name": "Team board",
        "desc": "What we do",
        "lists": [
            {"id": "L1", "name": "To do", "closed": False, "pos": 1},
            {"id": "L2", "name": "Done", "closed": False, "pos": 2},
            {"id": "L3", "name": "Old", "closed": True, "pos": 3},
        ],
        "members": [{"id": "M1", "fullName": "Ada Lovelace", "username": "ada"}],
        "labels": [],
        "customFields": [{"id": "F1", "name": "Story points", "type": "number"}],
        "checklists": [
            {
                "id": "C1",
                "idCard": "card1",
                "name": "Steps",
                "checkItems": [
                    {"name": "second", "state": "incomplete", "pos": 2},
                    {"name": "first", "state": "complete", "pos": 1},
                ],
            }
        ],
        "cards": [
            {
                "id": "card1",
                "idShort": 1,
                "name": "Write the spec",
                "desc": "Short and clear.",
                "idList": "L2",
                "closed": False,
                "pos": 1,
                "due": "2024-03-01T17:00:00.000Z",
                "dueComplete": True,
                "start": "2024-02-20T08:00:00.000Z",
                "idMembers": ["M1", "gone"],
                "labels": [{"name": "", "color": "green"}, {"name": "Docs", "color": "red"}],
                "customFieldItems": [{"idCustomField": "F1", "value": {"number": "3"}}],
                "attachments": [{"id": "A1"}],
            },
            {"id": "card2", "idShort": 2, "name": "Archived", "idList": "L1", "closed": True},
            {"id": "card3", "idShort": 3, "name": "In old list", "idList": "L3", "closed": False},
        ],
        "actions": [
            {
                "type": "updateCard",
                "date": "2024-02-21T10:00:00.500Z",
                "data": {
                    "card": {"id": "card1"},
                    "listBefore": {"name": "To do"},
                    "listAfter": {"name": "Done"},
                },
            },
            {
                "type": "createCard",
                "date": "2024-02-19T09:30:00.000Z",
                "data": {"card": {"id": "card1"}, "list": {"name": "To do"}},
            },
            {"type": "commentCard", "date": "2024-02-20T09:30:00.000Z", "data": {}},
        ],
    }
    data.update(changes)
    return data


def write(tmp_path: Path, data: Any, name: str = "board.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@needs_samples
@pytest.mark.parametrize(
    ("name", "tasks", "resources"),
    [("deck-data-trelloJson.json", 1, 1), ("trello-dependencies.json", 39, 8)],
)
def test_samples_are_valid_backlogs(name: str, tasks: int, resources: int) -> None:
    result = read_trello(SAMPLES / "trello" / name)
    project = validate(result.document)
    assert (len(project.tasks), len(project.resources)) == (tasks, resources)
    assert schedule_plan(project).finish >= schedule_plan(project).start
    assert f"{tasks} card{'s' if tasks > 1 else ''} without an estimate: each given 1d" in (
        result.skipped
    )


@needs_samples
def test_the_public_board_keeps_lists_labels_and_list_moves() -> None:
    result = read_trello(SAMPLES / "trello" / "trello-dependencies.json")
    tasks = by_id(result.document)
    card = tasks["card-31"]
    assert card["status"] == "Blocked by Dependencies"
    assert card["tags"] == ["Blocked", "Design"]
    assert card["refs"] == {"trello": "5a308871d5f4a39d27f2f74c"}
    assert [(h.get("from"), h["to"]) for h in card["history"]] == [
        (None, "Available to Pickup"),
        ("Available to Pickup", "Ideas"),
        ("Ideas", "Blocked by Dependencies"),
    ]
    assert "1 archived card" in result.skipped
    assert "17 comments" in result.skipped
    assert any("- [x] Set it up" in (t.get("notes") or "") for t in tasks.values())
    statuses = {t["status"] for t in tasks.values()}
    assert statuses <= {
        lst["name"]
        for lst in json.loads(
            (SAMPLES / "trello" / "trello-dependencies.json").read_text(encoding="utf-8")
        )["lists"]
    }


def test_a_card_carries_state_labels_notes_dates_points_and_people(tmp_path: Path) -> None:
    result = read_trello(write(tmp_path, board()))
    document = result.document
    assert document["project"] == {
        "name": "Team board",
        "start": date(2017, 11, 30),
        "description": "What we do",
    }
    assert document["resources"] == [
        {"id": "ada", "name": "Ada Lovelace", "refs": {"trello": "M1"}}
    ]
    assert document["tasks"] == [
        {
            "id": "card-1",
            "name": "Write the spec",
            "duration": "1d",
            "constraint": {"type": "start_no_earlier_than", "date": date(2024, 2, 20)},
            "deadline": date(2024, 3, 1),
            "percent_complete": 100,
            "status": "Done",
            "tags": ["green", "Docs"],
            "notes": "Short and clear.\n\nSteps:\n- [x] first\n- [ ] second",
            "points": 3.0,
            "assign": [{"resource": "ada"}],
            "refs": {"trello": "card1"},
            "history": [
                {"at": datetime(2024, 2, 19, 9, 30), "to": "To do"},
                {"at": datetime(2024, 2, 21, 10, 0), "from": "To do", "to": "Done"},
            ],
        }
    ]
    assert set(result.skipped) == {
        "1 archived card",
        "1 card in archived lists",
        "1 assignment to people no longer on the board",
        "1 attachment",
        "1 comment",
        "1 card without an estimate: each given 1d",
    }
    validate(document)


def test_a_board_without_actions_starts_when_its_first_card_was_made(tmp_path: Path) -> None:
    data = board(actions=[], id="not-an-object-id")
    data["cards"][0]["id"] = "5a2ec6059f70b7d2692d772a"  # made 2017-12-11
    assert read_trello(write(tmp_path, data)).document["project"]["start"] == date(2017, 12, 11)


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b'{"cards": [], "lists": [', "import.bad_json", "line 1, column 25: not valid JSON"),
        (b'{"name": "x"}', "import.bad_format", "$: not a Trello board export"),
        (
            b'{"cards": [], "lists": {}}',
            "import.bad_format",
            "$: not a Trello board export: no `lists`",
        ),
        ('{"name": "Caf\u00e9"}'.encode("latin-1"), "import.bad_encoding", "byte 13: not UTF-8"),
    ],
    ids=["truncated", "no-cards", "lists-not-a-list", "latin-1"],
)
def test_broken_files_are_refused_with_the_place(
    tmp_path: Path, content: bytes, code: str, words: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as caught:
        read_trello(path)
    assert caught.value.code == code
    assert f"bad.json: {words}" in str(caught.value)


def test_a_card_in_a_list_not_on_the_board_is_refused(tmp_path: Path) -> None:
    data = board()
    data["cards"][0]["idList"] = "nowhere"
    with pytest.raises(ImportFailed, match=r"\$\.cards\[0\]\.idList: .*'nowhere'"):
        read_trello(write(tmp_path, data))
