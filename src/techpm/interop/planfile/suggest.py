"""The keys a plan file allows at a place, to suggest the nearest one for a misspelt key."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from typing import Any, get_args

from pydantic import BaseModel

from techpm.interop.planfile.locations import PathPart


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """Every model a field's type can hold: `list[TaskModel] | None` -> TaskModel."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in get_args(annotation):
        yield from _models_in(arg)


def _keys(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def known_keys(root: type[BaseModel], path: Sequence[PathPart]) -> list[str]:
    """The keys allowed in the mapping that holds the last part of `path`."""
    models: list[type[BaseModel]] = [root]
    for part in path[:-1]:
        if isinstance(part, int):
            continue  # a list item: the models already are the item's
        inner: list[type[BaseModel]] = []
        for model in models:
            for name, field in model.model_fields.items():
                if part in (name, field.alias):
                    inner += _models_in(field.annotation)
        # a part that is no field is a key of a mapping (a calendar's name): stay
        models = inner or models
    return sorted({key for model in models for key in _keys(model)})


def nearest_key(word: str, keys: Sequence[str]) -> str | None:
    """The known key a misspelling most likely meant (`duraton` -> `duration`)."""
    matches = difflib.get_close_matches(word, keys, n=1, cutoff=0.6)
    return matches[0] if matches else None
