"""Domain dataclass fields <-> row columns, generically, so that no field is forgotten:
a field without a column is an error, not a silent loss. JSON columns hold the tagged
encoding of `codec`; every other column takes the value as it is."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import JSON, Table

from techpm.persistence.codec import decode, encode
from techpm.persistence.rows import Base


class UnmappedFieldError(LookupError):
    """A domain field with no column to hold it: the rows and the domain disagree."""


def table_of(row_cls: type[Base]) -> Table:
    table = row_cls.__table__
    assert isinstance(table, Table)
    return table


def column_values(
    obj: Any,
    row_cls: type[Base],
    *,
    renames: Mapping[str, str] | None = None,
    skip: Collection[str] = (),
) -> dict[str, Any]:
    """Keyword arguments for `row_cls` from the fields of the domain value `obj`."""
    table = table_of(row_cls)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(obj):
        if field.name in skip:
            continue
        name = (renames or {}).get(field.name, field.name)
        if name not in table.c:
            raise UnmappedFieldError(f"{type(obj).__name__}.{field.name} has no column")
        value = getattr(obj, field.name)
        values[name] = encode(value) if isinstance(table.c[name].type, JSON) else value
    return values


def field_values(
    row: Base,
    cls: type[Any],
    *,
    renames: Mapping[str, str] | None = None,
    skip: Collection[str] = (),
) -> dict[str, Any]:
    """Keyword arguments for the domain class `cls` from the columns of `row`."""
    table = table_of(type(row))
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.name in skip:
            continue
        name = (renames or {}).get(field.name, field.name)
        if name not in table.c:
            raise UnmappedFieldError(f"{cls.__name__}.{field.name} has no column")
        value = getattr(row, name)
        values[field.name] = decode(value) if isinstance(table.c[name].type, JSON) else value
    return values
