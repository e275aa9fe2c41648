"""What a schema error says to a person: the nearest known key for a misspelt one, a key
left without a value by an unquoted comma, and the value that was refused."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from techpm.interop.planfile.locations import PathPart
from techpm.interop.planfile.suggest import known_keys, nearest_key

CODES = {
    "missing": "planfile.missing_field",
    "extra_forbidden": "planfile.unknown_field",
}
SHOWN_VALUE = 60  # characters of a refused value quoted in the message


def describe(
    error: ErrorDetails, loc: Sequence[PathPart], root: type[BaseModel], data: Any
) -> tuple[str, str]:
    """The problem's code and message for one pydantic error at `loc` in `data`."""
    kind = error["type"]
    value = error.get("input")
    key = loc[-1] if loc else ""
    if kind == "invalid_key":  # `{name: Release 1, 2}`: the number 2 read as a key
        kind, value = "extra_forbidden", _value_at(data, loc)
    if kind == "extra_forbidden":
        near = nearest_key(str(key), known_keys(root, loc))
        if near is not None:
            return CODES[kind], f"unknown field {str(key)!r}; did you mean `{near}`?"
        if value is None:
            # `{name: Localisation (DE, FR)}`: the comma ends the name; `FR)` is a new key
            return "planfile.key_without_value", (
                f"`{key}` has no value: quote the text if it contains a comma, "
                'such as name: "Localisation (DE, FR)"'
            )
        return CODES[kind], f"unknown field {str(key)!r}"
    if kind == "missing":
        return CODES[kind], f"missing required field {str(key)!r}"
    if kind == "value_error":  # our own validators word the whole message
        return "planfile.bad_value", str(error["msg"]).removeprefix("Value error, ")
    code = "planfile.bad_date" if "date" in kind else "planfile.bad_value"
    if value is None and loc:
        return code, f"`{key}` has no value; {error['msg']}"
    return code, error["msg"] + _got(value)


def _got(value: Any) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return ""
    text = repr(value)
    if len(text) > SHOWN_VALUE:
        text = text[: SHOWN_VALUE - 4] + "...'"
    return f", got {text}"


def _value_at(data: Any, loc: Sequence[PathPart]) -> Any:
    node = data
    for part in loc:
        if isinstance(node, dict | list):
            try:
                node = node[part]  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                return None
    return node
