"""What one plan changes in another, said in plan-file terms: each entry (task, resource,
risk, ...) matched by its id, each field by its plan-file key, each value as the plan file
spells it. History, events and `techpm push` all show these changes, so a reader sees the
same words they would write in YAML."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from techpm.domain.dependency import Dependency
from techpm.domain.project import Project
from techpm.domain.units import format_duration
from techpm.interop.planfile.dump import compact_task, plan_parts, task_entries

ChangeAction = Literal["added", "changed", "removed"]


@dataclass(frozen=True)
class Change:
    """One entry added or removed, or one field of it changed (old and new JSON-ready)."""

    entity: str
    key: str
    action: ChangeAction
    field: str | None
    old: Any
    new: Any

    def as_json(self) -> dict[str, Any]:
        """As the API shows it (history, a stale write's changes, events)."""
        return {
            "entity": self.entity,
            "key": self.key,
            "action": self.action,
            "field": self.field,
            "old": self.old,
            "new": self.new,
        }


Entries = dict[str, dict[str, Any]]  # key -> plan-file mapping, in plan order

# list parts of the plan file: entity name and how an entry's key is found
LIST_PARTS: dict[str, tuple[str, Callable[[Mapping[str, Any]], str]]] = {
    "resources": ("resource", lambda e: str(e["id"])),
    "procurement": ("procurement", lambda e: str(e["id"])),
    "risks": ("risk", lambda e: str(e["id"])),
    "correlations": ("correlation", lambda e: ",".join(e["tasks"])),
    "stakeholders": ("stakeholder", lambda e: str(e["id"])),
    "raci": ("raci", lambda e: str(e["task"])),
    "sprints": ("sprint", lambda e: str(e["id"])),
    "goals": ("goal", lambda e: str(e["id"])),
    "ideas": ("idea", lambda e: str(e["id"])),
}
ENTITY_NAMES = {"calendars": "calendar"}


def diff_plans(old: Project, new: Project) -> tuple[Change, ...]:
    """Every difference between `old` and `new`, project first, then the plan file's parts
    in their order, tasks, dependencies and assignments last; empty when they are equal."""
    before, after = plan_parts(old), plan_parts(new)
    changes = list(_fields("project", "", before.pop("project"), after.pop("project")))
    for part in sorted(set(before) | set(after), key=_part_order(before, after)):
        was, now = before.get(part), after.get(part)
        if part in LIST_PARTS:
            entity, key_of = LIST_PARTS[part]
            changes += _entries(entity, _keyed(was or [], key_of), _keyed(now or [], key_of))
        elif isinstance(was, dict) and isinstance(now, dict) and part in ENTITY_NAMES:
            changes += _entries(ENTITY_NAMES[part], was, now)
        elif was != now:
            changes.append(Change(part, "", "changed", part, was, now))
    same = _same_tasks(old, new)
    tasks_old, tasks_new = _tasks(old, same), _tasks(new, same)
    order = [t.id for t in old.tasks], [t.id for t in new.tasks]
    changes += _entries("task", tasks_old, tasks_new, shown=compact_task, order=order)
    if old.dependencies != new.dependencies or old.units != new.units:
        changes += _entries("dependency", _links(old), _links(new))
    changes += _entries("assignment", _assignments(tasks_old), _assignments(tasks_new))
    return tuple(changes)


def _same_tasks(old: Project, new: Project) -> set[str]:
    """Tasks whose plan-file entries are equal without spelling them out: the same task
    with the same links into it, in the same units. A large plan with one edit compares
    one entry, not all."""
    if old.units != new.units:
        return set()
    into_old, into_new = _links_into(old), _links_into(new)
    before = {task.id: task for task in old.tasks}
    return {
        task.id
        for task in new.tasks
        if before.get(task.id) == task and into_old.get(task.id) == into_new.get(task.id)
    }


def _links_into(project: Project) -> dict[str, list[Dependency]]:
    into: dict[str, list[Dependency]] = {}
    for dep in project.dependencies:
        into.setdefault(dep.successor, []).append(dep)
    return into


def _part_order(before: Mapping[str, Any], after: Mapping[str, Any]) -> Callable[[str], int]:
    order = {name: i for i, name in enumerate([*before, *(k for k in after if k not in before)])}
    return order.__getitem__


def _entries(
    entity: str,
    old: Entries,
    new: Entries,
    *,
    shown: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None,
    order: tuple[list[str], list[str]] | None = None,
) -> Iterator[Change]:
    """Removed entries, then each kept or added one in the new plan's order; then the order
    itself when the kept entries moved. An added or removed entry is shown as the plan file
    writes it (`shown`), without the keys it leaves out. `order` is every key in each plan
    when `old` and `new` hold only the entries that may differ."""
    show = shown or _written
    for key, entry in old.items():
        if key not in new:
            yield Change(entity, key, "removed", None, show(entry), None)
    for key, entry in new.items():
        if key not in old:
            yield Change(entity, key, "added", None, None, show(entry))
        else:
            yield from _fields(entity, key, old[key], entry)
    keys_old, keys_new = order or (list(old), list(new))
    both = set(keys_old) & set(keys_new)
    kept_old, kept_new = [k for k in keys_old if k in both], [k for k in keys_new if k in both]
    if kept_old != kept_new:
        yield Change(entity, "", "changed", "order", keys_old, keys_new)


def _fields(
    entity: str, key: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> Iterator[Change]:
    for name in [*old, *(k for k in new if k not in old)]:
        was, now = old.get(name), new.get(name)
        if was != now or isinstance(was, bool) != isinstance(now, bool):
            if _empty(was) and _empty(now):
                continue  # the plan file writes neither
            yield Change(entity, key, "changed", name, was, now)


def _written(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if not _empty(value)}


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _keyed(
    items: Sequence[Mapping[str, Any]], key_of: Callable[[Mapping[str, Any]], str]
) -> Entries:
    """Entries by key; a key seen twice gets `#2`, `#3`, ... so that nothing is lost."""
    out: Entries = {}
    for item in items:
        key = base = key_of(item)
        count = 1
        while key in out:
            count += 1
            key = f"{base}#{count}"
        out[key] = dict(item)
    return out


def _tasks(project: Project, skip: set[str]) -> Entries:
    """Each task's full plan-file mapping (defaults spelled out, so that a change from the
    default shows its old value) and its parent, which the file says by nesting; but
    not the tasks in `skip`."""
    if skip:
        tasks = tuple(t for t in project.tasks if t.id not in skip)
        links = tuple(d for d in project.dependencies if d.successor not in skip)
        project = replace(project, tasks=tasks, dependencies=links)
    return _keyed(
        [{**entry, "parent": task.parent} for task, entry in task_entries(project, compact=False)],
        lambda e: str(e["id"]),
    )


def _links(project: Project) -> Entries:
    return _keyed([_link(dep, project) for dep in project.dependencies], _link_key)


def _link_key(entry: Mapping[str, Any]) -> str:
    return f"{entry['task']}->{entry['successor']}"


def _link(dep: Dependency, project: Project) -> dict[str, Any]:
    lag = format_duration(dep.lag_minutes, project.units) if dep.lag_minutes else None
    return {"task": dep.predecessor, "successor": dep.successor, "type": dep.type.value, "lag": lag}


def _assignments(tasks: Entries) -> Entries:
    return _keyed(
        [
            {"task": task["id"], "resource": a["resource"], "units": a["units"]}
            for task in tasks.values()
            for a in task["assign"]
        ],
        lambda e: f"{e['task']}/{e['resource']}",
    )
