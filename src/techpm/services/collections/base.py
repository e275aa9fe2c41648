"""What a collection is: how its entities are found in a plan opened for editing, and how
one is added, changed or removed there. The service does the rest (versions, checks,
history) the same way for all of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import cache
from typing import Any, ClassVar, get_args

from techpm.domain.project import Project
from techpm.interop.planfile.model import PlanModel
from techpm.services.collections.checks import entry_problems, refuse
from techpm.services.collections.edit import PlanEdit
from techpm.services.collections.errors import EntityExistsError, EntityNotFoundError, FieldError

Entry = dict[str, Any]
Filters = Mapping[str, Callable[[Entry], Any]]
READ_ONLY = frozenset({"version", "schedule"})  # shown in a representation, never written


class Collection:
    """`name` is the path segment, `entity` the name the history uses, `prefix` the start
    of the ids it makes up when a new entity comes without one."""

    name: str = ""
    entity: str = ""
    prefix: str = ""
    # filters beyond "a top-level key equals the value" (or contains it, for a list)
    filters: ClassVar[Filters] = {}

    def entries(self, edit: PlanEdit) -> list[Entry]:
        raise NotImplementedError

    def fields(self) -> frozenset[str]:
        """The keys of an entity, as the plan file spells them (what lists filter by)."""
        return model_fields(self.name) | set(self.filters)

    def key_of(self, entry: Entry) -> str:
        return str(entry["id"])

    def find(self, edit: PlanEdit, key: str) -> Entry:
        for entry in self.entries(edit):
            if self.key_of(entry) == key:
                return entry
        raise EntityNotFoundError(self.entity, key)

    def shown(self, project: Project, key: str) -> Entry:
        """The entity as a plan just written holds it (what a write answers with)."""
        return self.find(PlanEdit(project), key)

    def where(self, edit: PlanEdit, key: str) -> str:
        """The entity's name in problem fields (see PlanEdit), to report its own fields."""
        return f"{self.name}[{key}]"

    def create(self, edit: PlanEdit, body: Entry, now: datetime) -> str:
        raise NotImplementedError

    def update(self, edit: PlanEdit, key: str, patch: Entry, now: datetime) -> None:
        raise NotImplementedError

    def delete(self, edit: PlanEdit, key: str) -> None:
        raise NotImplementedError

    def new_id(self, taken: Iterable[str]) -> str:
        used = set(taken)
        number = len(used) + 1
        while f"{self.prefix}{number}" in used:
            number += 1
        return f"{self.prefix}{number}"


@cache
def model_fields(part: str) -> frozenset[str]:
    """The keys the plan file allows in an entry of the list section `part`."""
    (item,) = get_args(PlanModel.model_fields[part].annotation)
    return frozenset(f.alias or name for name, f in item.model_fields.items()) | {"id"}


def writable(body: Mapping[str, Any]) -> Entry:
    return {k: v for k, v in body.items() if k not in READ_ONLY}


def merge(entry: Entry, patch: Mapping[str, Any]) -> None:
    """JSON merge patch (RFC 7396) of one level: null removes a key, a value replaces it."""
    for key, value in writable(patch).items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value


def same_id(entry: Entry, patch: Mapping[str, Any], key: str = "id") -> None:
    if key in patch and patch[key] != entry.get(key):
        raise FieldError(
            key,
            "an id cannot change; add a new one and remove this one",
            code="request.id_immutable",
        )


class KeyedPart(Collection):
    """A list section of the plan file whose entries have an `id` (resources, risks ...)."""

    part: str = ""

    def entries(self, edit: PlanEdit) -> list[Entry]:
        return edit.part(self.part)

    def create(self, edit: PlanEdit, body: Entry, now: datetime) -> str:
        entries = edit.part(self.part)
        entry = writable(body)
        if entry.get("id") is None:
            entry["id"] = self.new_id(str(e.get("id")) for e in entries)
        refuse(entry_problems(edit.parts, self.part, entry, "body"))
        key = str(entry["id"])
        if any(str(e.get("id")) == key for e in entries):
            raise EntityExistsError(self.entity, key)
        entries.append(entry)
        return key

    def update(self, edit: PlanEdit, key: str, patch: Entry, now: datetime) -> None:
        entry = self.find(edit, key)
        candidate = dict(entry)
        merge(candidate, patch)
        refuse(entry_problems(edit.parts, self.part, candidate, "body"))
        same_id(entry, patch)
        merge(entry, patch)

    def delete(self, edit: PlanEdit, key: str) -> None:
        entry = self.find(edit, key)
        edit.part(self.part).remove(entry)
