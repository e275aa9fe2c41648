"""Read back what techpm carried in MS Project's custom text fields (`carried_out.py`):
ids, the plan-file keys MSPDI has no field for, and the plan's own data. The file's own
fields win wherever they hold a value: the carried data fills in what MSPDI cannot say,
and restores a value MSPDI holds less precisely (a date, a whole percent) only while MS
Project's value still agrees with it, so an edit made in MS Project is kept."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from xml.etree.ElementTree import Element

from techpm.interop.msproject.carried import FIELDS, ID_ALIAS, TASK_TEXT30, joined, unpacked
from techpm.interop.msproject.records import Record
from techpm.interop.msproject.skipped import Skipped
from techpm.interop.msproject.xml_source import Source

OURS = frozenset(f for text30, data in FIELDS.values() for f in (text30, *data))
_MOMENTS = ("deadline", "actual_start", "actual_finish")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_KEYS = frozenset(
    {"from", "to", "date", "vacations", "nonworking", "working", "start", "finish"}
    | {"order_date", "needed_by", "received", "status_date", "on", "due", *_MOMENTS}
)


def carries_data(source: Source) -> bool:
    """Whether the file was written by techpm: its custom field definitions name ours."""
    for child in source.root:
        if not child.tag.endswith("ExtendedAttributes"):
            continue
        for definition in child:
            record = Record(definition, source, "ExtendedAttribute")
            if record.integer("FieldID") == TASK_TEXT30 and record.text("Alias") == ID_ALIAS:
                return True
    return False


def values(record: Record) -> dict[int, str]:
    """FieldID -> value of the record's ExtendedAttribute values."""
    out: dict[int, str] = {}
    for element in record.nested.get("ExtendedAttribute", ()):
        field_id, value = _field(element)
        if field_id is not None:
            out[field_id] = value
    return out


def others(record: Record) -> int:
    """Custom field values on a record that are not techpm's."""
    return sum(
        _field(element)[0] not in OURS for element in record.nested.get("ExtendedAttribute", ())
    )


def _field(element: Element) -> tuple[int | None, str]:
    """An ExtendedAttribute value's FieldID (None when it has none that is a number)."""
    field_id: int | None = None
    value = ""
    for child in element:
        tag = child.tag[child.tag.find("}") + 1 :]
        text = (child.text or "").strip()
        if tag == "FieldID":
            field_id = int(text) if text.isdigit() and len(text) < 12 else None
        elif tag == "Value":
            value = text
    return field_id, value


def item_id(found: dict[int, str], kind: str) -> str | None:
    return found.get(FIELDS[kind][0]) or None


def item_data(found: dict[int, str], kind: str, what: str, skipped: Skipped) -> dict[str, Any]:
    text = joined(found.items(), kind)
    if not text:
        return {}
    plain = unpacked(text)
    try:
        data = json.loads(plain) if plain is not None else None
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        skipped.say(
            f"the techpm data of {what} was changed or cut outside techpm and is not read "
            "(MS Project keeps 255 characters of a text field)"
        )
        return {}
    return {key: _dates(value, key) for key, value in data.items()}


def _dates(value: Any, key: str) -> Any:
    """Dates JSON wrote as text are dates again, under the keys that hold dates, so that
    the plan file shows them as the plan did."""
    if isinstance(value, dict):
        return {k: _dates(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates(v, key) for v in value]
    if key in _DATE_KEYS and isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def project_data(data: dict[str, Any], skipped: Skipped) -> dict[str, Any]:
    """The project's carried data with every part in the shape techpm writes, or left out:
    a file edited by hand must not make the import fail inside."""
    shapes = {"project": dict, "plan": dict, "calendars": dict, "not_carried": list}
    out: dict[str, Any] = {}
    for key, shape in shapes.items():
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, shape):
            skipped.say(f"the techpm data of the project has a bad {key!r} part: not read")
            continue
        out[key] = value
    calendars = out.get("calendars", {})
    good = {k: v for k, v in calendars.items() if k.isdigit() and isinstance(v, dict)}
    if len(good) != len(calendars):
        skipped.say("the techpm data of the project names calendars oddly: those not read")
    out["calendars"] = good
    return out


def summary_element(source: Source, tasks: Iterable[Element]) -> Record | None:
    for element in tasks:
        record = Record(element, source, "Task UID 0")
        if record.integer("UID") == 0:
            return record
    return None


def merge_task(
    fields: dict[str, Any], data: dict[str, Any], *, summary: bool, duration_minutes: int, uid: int
) -> None:
    """A task's carried keys into the fields read from the file."""
    derived = data.pop("_d", None)
    for key, value in data.items():
        if key == "tags" and not (
            isinstance(value, list) and all(isinstance(t, str) for t in value)
        ):
            continue
        if key == "refs" and not isinstance(value, dict):
            continue
        if key in _MOMENTS:
            if _same_day(fields.get(key), value):
                fields[key] = value
        elif key == "constraint":
            if _same_constraint(fields.get(key), value):
                fields[key] = value
        elif key == "percent_complete":
            if isinstance(value, int | float) and round(value) == fields.get(key, 0):
                fields[key] = value
        elif key == "remaining_duration":
            if fields.get(key) in (None, value):
                fields[key] = value
        elif key == "calendar":
            if summary:
                fields[key] = value
        elif key == "tags":
            inactive = ["inactive"] if "inactive" in fields.get("tags", ()) else []
            fields[key] = [t for t in value if t != "inactive"] + inactive
        elif key == "refs":
            fields[key] = {**value, "msproject": uid}
        else:
            fields[key] = value
    if derived == duration_minutes and {"effort", "estimate"} & set(data):
        fields.pop("duration", None)  # techpm derives it from the effort or estimate


def _same_day(native: Any, carried: Any) -> bool:
    """A plan date MSPDI wrote as a moment of that day; a moment is held as it is."""
    if not isinstance(carried, date) or isinstance(carried, datetime):
        return False
    return isinstance(native, datetime) and native.date() == carried


def _same_constraint(native: Any, carried: Any) -> bool:
    first = carried[0] if isinstance(carried, list) and carried else carried
    if not isinstance(native, dict) or not isinstance(first, dict):
        return False
    return native.get("type") == first.get("type") and _same_day(
        native.get("date"), first.get("date")
    )
