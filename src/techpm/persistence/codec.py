"""Domain values as JSON and back, for the columns that hold a structured part of a row.

The encoding is tagged (a Decimal, a date, a datetime, a tuple, a set and each domain
dataclass says what it is), so decoding needs no type hints and a union such as
`Decimal | ThreePoint` or `date | datetime` comes back as the very value that was stored.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from techpm.domain.calendar import HolidayRule
from techpm.domain.estimate import Correlation, Distribution, ThreePoint
from techpm.domain.idea import Comment, Goal, Idea, IdeaStatus, Moscow, Rice, Wsjf
from techpm.domain.procurement import Item, ItemStatus
from techpm.domain.raci import RaciEntry
from techpm.domain.resource import Rate, RateUnit
from techpm.domain.risk import Delay, Response, RiskMatrix, RiskStatus, Strategy
from techpm.domain.sprint import Sprint
from techpm.domain.task import Accrual, Constraint, ConstraintType, StatusChange
from techpm.domain.workflow import Workflow

_CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        HolidayRule,
        Correlation,
        ThreePoint,
        Comment,
        Goal,
        Idea,
        Rice,
        Wsjf,
        Item,
        RaciEntry,
        Rate,
        Delay,
        Response,
        RiskMatrix,
        Sprint,
        Constraint,
        StatusChange,
        Workflow,
    )
}
_ENUMS: dict[str, type[Enum]] = {
    cls.__name__: cls
    for cls in (
        Distribution,
        IdeaStatus,
        Moscow,
        ItemStatus,
        RateUnit,
        RiskStatus,
        Strategy,
        Accrual,
        ConstraintType,
    )
}


class CodecError(TypeError):
    """A value the codec does not know: a new domain class must be registered above."""


def encode(value: Any) -> Any:
    """A JSON-ready form of a domain value."""
    if value is None or (
        isinstance(value, bool | int | float | str) and not isinstance(value, Enum)
    ):
        return value
    if isinstance(value, Enum):
        name = type(value).__name__
        if name not in _ENUMS:
            raise CodecError(f"unregistered enum {name}")
        return {"$enum": name, "v": value.value}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, frozenset):
        return {"$set": sorted((encode(v) for v in value), key=repr)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _CLASSES.get(name) is not type(value):
            raise CodecError(f"unregistered dataclass {name}")
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$dc": name, "f": fields}
    raise CodecError(f"cannot store a {type(value).__name__}")


def decode(data: Any) -> Any:
    """The domain value `encode` was given."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "$enum" in data:
        return _ENUMS[data["$enum"]](data["v"])
    if "$dec" in data:
        return Decimal(data["$dec"])
    if "$dt" in data:
        return datetime.fromisoformat(data["$dt"])
    if "$date" in data:
        return date.fromisoformat(data["$date"])
    if "$tuple" in data:
        return tuple(decode(v) for v in data["$tuple"])
    if "$set" in data:
        return frozenset(decode(v) for v in data["$set"])
    if "$map" in data:
        return {decode(k): decode(v) for k, v in data["$map"]}
    if "$dc" in data:
        cls = _CLASSES[data["$dc"]]
        return cls(**{k: decode(v) for k, v in data["f"].items()})
    return {k: decode(v) for k, v in data.items()}
