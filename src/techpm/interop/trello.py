"""A Trello board export (JSON) as a backlog: each open card a task, each list a workflow
state, and the card moves the export's actions recorded as each task's history.

Trello has no estimates and no links, so every card gets the same default duration and
the plan has no dependencies; flow metrics, not the critical path, are what it is for.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from techpm.interop.exchange import ImportResult, counted_phrase, fail

DEFAULT_DURATION = "1d"
ACTION_LIMIT = 1000  # Trello's JSON export holds at most this many of the latest actions
CREATING_ACTIONS = ("createCard", "copyCard", "convertToCardFromCheckItem", "moveCardToBoard")
_POINTS_FIELD = re.compile(r"point|estimate", re.IGNORECASE)
_ID_CHARS = re.compile(r"[^A-Za-z0-9_.\-]")


def read_trello(path: Path) -> ImportResult:
    return _Board(path, _load(path)).result()


def _load(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(path, "", f"cannot read: {exc.strerror}", code="import.unreadable") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(
            path,
            f"byte {exc.start}",
            "not UTF-8 text (Trello exports UTF-8 JSON)",
            "import.bad_encoding",
        ) from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise fail(path, "", "JSON nested too deeply", "import.bad_json") from None
    except json.JSONDecodeError as exc:
        raise fail(
            path,
            f"line {exc.lineno}, column {exc.colno}",
            f"not valid JSON ({exc.msg})",
            "import.bad_json",
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("cards"), list):
        raise fail(path, "$", "not a Trello board export: no `cards` list", "import.bad_format")
    if not isinstance(data.get("lists"), list):
        raise fail(path, "$", "not a Trello board export: no `lists` list", "import.bad_format")
    return data


def _moment(text: object) -> datetime | None:
    """Trello's UTC timestamps as naive UTC date-times, to the second."""
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _created(object_id: object) -> datetime | None:
    """Trello ids are MongoDB object ids: their first 8 hex digits are the creation second."""
    if isinstance(object_id, str) and re.fullmatch(r"[0-9a-f]{24}", object_id):
        return datetime.fromtimestamp(int(object_id[:8], 16), UTC).replace(tzinfo=None)
    return None


def _slug(text: str) -> str:
    cleaned = _ID_CHARS.sub("-", text.strip()).strip("-.")
    return cleaned if cleaned[:1].isalnum() else f"x{cleaned}"


class _Board:
    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data
        self.skipped: dict[str, int] = {}
        self.lists: dict[str, dict[str, Any]] = {}
        for n, item in enumerate(data["lists"]):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise fail(path, f"$.lists[{n}]", "a list without an id")
            self.lists[item["id"]] = item

    def skip(self, what: str, count: int = 1) -> None:
        if count:
            self.skipped[what] = self.skipped.get(what, 0) + count

    def result(self) -> ImportResult:
        resources = self._members()
        cards = self._open_cards()
        history = self._history({card["id"] for card in cards})
        points_fields = self._points_fields()
        checklists = self._checklists()
        tasks, used = [], set()
        for card in cards:
            task = self._task(card, resources, points_fields, checklists)
            while task["id"] in used:
                task["id"] += "_"
            used.add(task["id"])
            if card["id"] in history:
                task["history"] = history[card["id"]]
            tasks.append(task)
        self.skip(f"card[s] without an estimate: each given {DEFAULT_DURATION}", len(tasks))
        project: dict[str, Any] = {
            "name": str(self.data.get("name") or "").strip() or self.path.stem,
            "start": self._start(),
        }
        if str(self.data.get("desc") or "").strip():
            project["description"] = str(self.data["desc"]).strip()
        document = {"project": project, "resources": list(resources.values()), "tasks": tasks}
        skipped = tuple(counted_phrase(n, what) for what, n in self.skipped.items())
        return ImportResult("trello", document, skipped)

    def _start(self) -> date:
        """The board's earliest recorded day: of its actions, or when it or a card was made."""
        moments = [_moment(a.get("date")) for a in self._actions()]
        moments += [_created(c.get("id")) for c in self.data["cards"] if isinstance(c, dict)]
        moments += [_created(self.data.get("id")), _moment(self.data.get("dateLastActivity"))]
        found = [m for m in moments if m is not None]
        if not found:
            raise fail(self.path, "$", "no date on the board (no actions, dated ids or activity)")
        return min(found).date()

    def _actions(self) -> list[dict[str, Any]]:
        actions = self.data.get("actions") or []
        return [a for a in actions if isinstance(a, dict)] if isinstance(actions, list) else []

    def _members(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        used: set[str] = set()
        for n, member in enumerate(self.data.get("members") or []):
            if not isinstance(member, dict) or not isinstance(member.get("id"), str):
                raise fail(self.path, f"$.members[{n}]", "a member without an id")
            name = str(member.get("fullName") or member.get("username") or member["id"]).strip()
            rid = _slug(str(member.get("username") or name))
            while rid in used:
                rid += "_"
            used.add(rid)
            found[member["id"]] = {"id": rid, "name": name, "refs": {"trello": member["id"]}}
        return found

    def _open_cards(self) -> list[dict[str, Any]]:
        """In board order: by list, then by position in the list."""
        cards: list[dict[str, Any]] = []
        for n, card in enumerate(self.data["cards"]):
            if not isinstance(card, dict) or not isinstance(card.get("id"), str):
                raise fail(self.path, f"$.cards[{n}]", "a card without an id")
            owner = self.lists.get(str(card.get("idList")))
            if owner is None:
                raise fail(
                    self.path,
                    f"$.cards[{n}].idList",
                    f"card {card.get('name', card['id'])!r} is in list {card.get('idList')!r}, "
                    "which is not on the board",
                )
            if card.get("closed"):
                self.skip("archived card[s]")
            elif owner.get("closed"):
                self.skip("card[s] in archived lists")
            else:
                cards.append(card)

        def position(card: dict[str, Any]) -> tuple[float, float]:
            return (_number(self.lists[card["idList"]].get("pos")), _number(card.get("pos")))

        return sorted(cards, key=position)

    def _history(self, wanted: set[str]) -> dict[str, list[dict[str, Any]]]:
        """List moves per card, oldest first; a card's creation is its first state."""
        found: dict[str, list[dict[str, Any]]] = {}
        actions = self._actions()
        comments = 0
        for action in actions:
            kind, data = action.get("type"), _dict(action.get("data"))
            card_id = _dict(data.get("card")).get("id")
            at = _moment(action.get("date"))
            if kind == "commentCard":
                comments += 1
            if not isinstance(card_id, str) or card_id not in wanted or at is None:
                continue
            if kind == "updateCard" and "listBefore" in data and "listAfter" in data:
                entry = {
                    "at": at,
                    "from": _state(_dict(data["listBefore"]).get("name")),
                    "to": _state(_dict(data["listAfter"]).get("name")),
                }
            elif kind in CREATING_ACTIONS and isinstance(data.get("list"), dict):
                entry = {"at": at, "to": _state(_dict(data["list"]).get("name"))}
            else:
                continue
            found.setdefault(card_id, []).append(entry)
        for entries in found.values():
            entries.sort(key=lambda e: e["at"])
        self.skip("comment[s]", comments)
        if len(actions) >= ACTION_LIMIT:
            self.skip(f"export[s] cut at {ACTION_LIMIT} actions: older list moves are missing")
        return found

    def _points_fields(self) -> set[str]:
        fields = self.data.get("customFields") or []
        return {
            f["id"]
            for f in fields
            if isinstance(f, dict)
            and f.get("type") == "number"
            and _POINTS_FIELD.search(str(f.get("name")))
        }

    def _checklists(self) -> dict[str, list[str]]:
        """Checklists as text per card: `- [x] item` lines under the checklist's name."""
        found: dict[str, list[str]] = {}
        for checklist in self.data.get("checklists") or []:
            if not isinstance(checklist, dict):
                continue
            items = [_dict(i) for i in checklist.get("checkItems") or []]
            items.sort(key=lambda i: _number(i.get("pos")))
            lines = [f"{checklist.get('name') or 'Checklist'}:"]
            for item in items:
                mark = "x" if item.get("state") == "complete" else " "
                lines.append(f"- [{mark}] {item.get('name', '')}")
            found.setdefault(str(checklist.get("idCard")), []).append("\n".join(lines))
        return found

    def _task(
        self,
        card: dict[str, Any],
        resources: dict[str, dict[str, Any]],
        points_fields: set[str],
        checklists: dict[str, list[str]],
    ) -> dict[str, Any]:
        short = card.get("idShort")
        tid = (
            f"card-{short}"
            if isinstance(short, int)
            else _slug(str(card.get("shortLink") or card["id"]))
        )
        task: dict[str, Any] = {
            "id": tid,
            "name": str(card.get("name") or "").strip() or f"Card {short or card['id']}",
            "duration": DEFAULT_DURATION,
        }
        start = _moment(card.get("start"))
        if start is not None:
            task["constraint"] = {"type": "start_no_earlier_than", "date": start.date()}
        due = _moment(card.get("due"))
        if due is not None:
            task["deadline"] = due.date()
        if card.get("dueComplete"):
            task["percent_complete"] = 100
        task["status"] = _state(self.lists[card["idList"]].get("name"))
        tags = []
        for label in card.get("labels") or []:
            if isinstance(label, dict):
                tag = str(label.get("name") or label.get("color") or "").strip()
                if tag and tag not in tags:
                    tags.append(tag)
        if tags:
            task["tags"] = tags
        notes = [str(card.get("desc") or "").strip(), *checklists.get(card["id"], [])]
        if any(notes):
            task["notes"] = "\n\n".join(part for part in notes if part)
        for item in card.get("customFieldItems") or []:
            if not isinstance(item, dict):
                continue
            value = _dict(item.get("value")).get("number")
            if item.get("idCustomField") in points_fields and _number(value) >= 0:
                task["points"] = _number(value)
            else:
                self.skip("custom field value[s]")
        assign = []
        for member in card.get("idMembers") or []:
            if isinstance(member, str) and member in resources:
                assign.append({"resource": resources[member]["id"]})
            else:
                self.skip("assignment[s] to people no longer on the board")
        if assign:
            task["assign"] = assign
        self.skip("attachment[s]", len(card.get("attachments") or []))
        task["refs"] = {"trello": card["id"]}
        return task


def _dict(value: object) -> dict[str, Any]:
    """A JSON object, or an empty one where the export has something else."""
    return value if isinstance(value, dict) else {}


def _state(name: object) -> str:
    text = str(name or "").strip()
    return text or "(unnamed list)"


def _number(value: object) -> float:
    """A position or number as Trello writes it; -1 for anything that is not one."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1.0
    return number if math.isfinite(number) else -1.0
