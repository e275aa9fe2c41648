"""TaskJuggler tasks as plan tasks: efforts, durations, dates as constraints, allocations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from techpm.interop.taskjuggler.context import SILENT, TASK_SKIPS, Node, ReadContext
from techpm.interop.taskjuggler.dates import day_of, unknown_day, working_days
from techpm.interop.taskjuggler.durations import calendar_time, number, work
from techpm.interop.taskjuggler.lexer import Statement
from techpm.interop.taskjuggler.resources import members

_CONSTRAINTS = {
    "maxend": "finish_no_later_than",
    "maxstart": "start_no_later_than",
    "minend": "finish_no_earlier_than",
    "minstart": "start_no_earlier_than",
}


def task_doc(ctx: ReadContext, node: Node, inherited: dict[str, Any]) -> dict[str, Any]:
    """One task; `allocate` and `priority` pass down to sub-tasks as in TaskJuggler."""
    task: dict[str, Any] = {"id": node.ident, "name": node.name}
    own = dict(inherited)
    facts: dict[str, Any] = {}
    for item in node.attrs:
        name = ctx.attr_name(item)
        if name is not None:
            _task_attr(ctx, item, name, own, facts)
    if node.children:
        task["children"] = [task_doc(ctx, child, own) for child in node.children]
        for key in ("effort", "length", "duration", "milestone", "complete"):
            if key in facts:
                ctx.skip(f"`{key}` on summary task[s] (TaskJuggler derives it)")
    else:
        _leaf(ctx, node, task, own, facts)
    if own.get("priority", 500) != 500:
        task["priority"] = own["priority"]
    for key in ("owner", "notes", "tags"):
        if facts.get(key):
            task[key] = facts[key]
    constraints = facts.get("constraints", [])
    start = facts.get("start")
    if start is not None and start[0] > ctx.start:
        constraints.insert(0, {"type": "start_no_earlier_than", "date": start[0]})
    if constraints:
        task["constraint"] = constraints[0] if len(constraints) == 1 else constraints
    task["refs"] = {"tjp": node.ident}
    ctx.links[node.ident] = facts.get("links", [])
    ctx.docs[node.ident] = task
    return task


def _task_attr(
    ctx: ReadContext, item: Statement, name: str, own: dict[str, Any], facts: dict[str, Any]
) -> None:
    tokens = item.tokens
    if name in ("effort", "length", "duration"):
        facts[name] = number(ctx, item)
    elif name == "milestone":
        facts["milestone"] = True
    elif name in ("start", "end", "maxend", "maxstart", "minend", "minstart") and (
        unknown_day(ctx, item)
    ):
        ctx.skip("date[s] given as ${now} or ${today} (no fixed day in a plan)")
    elif name in ("start", "end"):
        if not tokens:
            raise ctx.error(item.line, f"`{name}` needs a date")
        facts[name] = day_of(ctx, tokens[0])
    elif name in ("depends", "precedes"):
        facts.setdefault("links", []).append(item)
    elif name == "allocate":
        allocated = list(own.get("allocate", []))  # adds to what the parent allocates
        for token in tokens:
            if token.kind == "id":
                allocated += [m for m in members(ctx, token.text, item.line) if m not in allocated]
        if item.blocks:
            ctx.skip("allocation option[s] (alternatives, selection, shifts)", line=item.line)
        own["allocate"] = allocated
    elif name == "complete":
        facts["complete"] = min(max(float(number(ctx, item).text), 0.0), 100.0)
    elif name == "priority":
        own["priority"] = min(max(int(float(number(ctx, item).text)), 0), 1000)
    elif name == "note" and tokens:
        facts["notes"] = "\n\n".join(filter(None, [facts.get("notes"), tokens[0].text.strip()]))
    elif name == "responsible" and tokens:
        person = ctx.resources.get(tokens[0].text)
        facts["owner"] = person.name if person else tokens[0].text
    elif name == "flags":
        facts["tags"] = [*facts.get("tags", []), *(t.text for t in tokens if t.kind == "id")]
    elif name in ("maxend", "maxstart", "minend", "minstart") and tokens:
        day, midnight = day_of(ctx, tokens[0])
        if name.endswith("end") and midnight:
            day -= timedelta(days=1)
        facts.setdefault("constraints", []).append({"type": _CONSTRAINTS[name], "date": day})
    elif name == "purge" and tokens and tokens[0].text == "allocate":
        own["allocate"] = []
    elif name == "booking":
        ctx.skip("booking[s] (who worked on the task is kept, not when)")
        booked = facts.setdefault("booked", [])
        ids = [t.text for t in tokens if t.kind == "id"][:1]
        booked += [m for m in members(ctx, ids[0], item.line) if m not in booked] if ids else []
    elif name == "scheduling":
        if tokens and tokens[0].text == "alap":
            ctx.skip(
                "as-late-as-possible task[s] (techpm schedules as soon as possible)",
                line=item.line,
            )
    elif name not in SILENT:
        ctx.skip(TASK_SKIPS.get(name, f"task attribute[s] `{name}`"), line=item.line)


def _leaf(
    ctx: ReadContext, node: Node, task: dict[str, Any], own: dict[str, Any], facts: dict[str, Any]
) -> None:
    allocated = own.get("allocate", []) or facts.get("booked", [])
    start, end = facts.get("start"), facts.get("end")
    last = None
    if start is not None and end is not None:
        last = end[0] - timedelta(days=1) if end[1] and end[0] > start[0] else end[0]
        ctx.reference[node.ident] = (start[0].isoformat(), last.isoformat())
    if "effort" in facts and allocated:
        task["effort"] = work(ctx, facts["effort"])
    elif "effort" in facts:
        task["duration"] = work(ctx, facts["effort"])
        ctx.skip("effort[s] without an allocation read as durations")
    elif "length" in facts:
        task["duration"] = work(ctx, facts["length"])
    elif "duration" in facts:
        task["duration"] = calendar_time(ctx, facts["duration"])
    elif start is not None and last is not None and not facts.get("milestone"):
        days = working_days(ctx, start[0], last)
        task["duration"] = f"{days}d"
        ctx.skip("task[s] with a fixed start and end: duration counted in working days")
    else:
        task["milestone"] = True  # as in TaskJuggler: a leaf that takes no time
    if facts.get("complete"):
        task["percent_complete"] = facts["complete"]
    if end is not None and start is None:
        day = end[0] - timedelta(days=1) if end[1] and not task.get("milestone") else end[0]
        facts.setdefault("constraints", []).append({"type": "must_finish_on", "date": day})
    if allocated:
        task["assign"] = [{"resource": r} for r in allocated]
