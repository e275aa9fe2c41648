"""TaskJuggler `depends` and `precedes` as `after` entries, with lags, checked for loops."""

from __future__ import annotations

import re
from typing import Any

from techpm.interop.taskjuggler.context import Node, ReadContext
from techpm.interop.taskjuggler.durations import calendar_time, work
from techpm.interop.taskjuggler.lexer import Statement, Token
from techpm.scheduling.network import cycle_among

KEY_ORDER = (
    "id",
    "name",
    "duration",
    "effort",
    "milestone",
    "after",
    "constraint",
    "percent_complete",
    "priority",
    "owner",
    "tags",
    "notes",
    "assign",
    "refs",
    "children",
)


def read_links(ctx: ReadContext) -> None:
    """Adds each link to its successor's `after`, then puts every task's keys in order."""
    by_id = ctx.docs
    found: list[tuple[str, str]] = []
    for node_id, items in ctx.links.items():
        for item in items:
            for ref, bangs, options, line in _refs(item):
                other = _resolve(ctx, node_id, bangs, ref, line)
                pred, succ = (other, node_id) if item.name.endswith("depends") else (node_id, other)
                entry = _link(ctx, pred, succ, item.name.endswith("depends"), options)
                if entry is not None:
                    by_id[succ].setdefault("after", []).append(entry)
                    found.append((pred, succ))
    for doc in by_id.values():
        ordered = sorted(doc.items(), key=lambda kv: KEY_ORDER.index(kv[0]))
        doc.clear()
        doc.update(ordered)
    _check_cycles(ctx, found)


def _resolve(ctx: ReadContext, node_id: str, bangs: int, ref: str, line: int) -> str:
    """`!` climbs one level from the task's own scope; without it the id is absolute."""
    if bangs:
        scope = node_id.split(".")
        if bangs > len(scope):
            raise ctx.error(line, f"{'!' * bangs}{ref} climbs above the top-level tasks")
        target = ".".join([*scope[:-bangs], ref])
    else:
        target = ref
    if target not in ctx.tasks:
        raise ctx.error(line, f"{'!' * bangs}{ref} is not a task (looked for {target!r})")
    return target


def _refs(item: Statement) -> list[tuple[str, int, list[Statement], int]]:
    found: list[tuple[str, int, list[Statement], int]] = []
    bangs = 0
    for arg in item.args:
        if isinstance(arg, Token) and arg.text == "!":
            bangs += 1
        elif isinstance(arg, Token) and arg.kind == "id":
            found.append((arg.text, bangs, [], arg.line))
            bangs = 0
        elif not isinstance(arg, Token) and found:
            found[-1][2].extend(arg.statements)
    return found


def _link(ctx: ReadContext, pred: str, succ: str, depends: bool, options: list[Statement]) -> Any:
    names = {o.name for o in options}
    from_start = depends and "onstart" in names
    to_finish = not depends and "onend" in names
    kind = {(False, False): "FS", (True, False): "SS", (False, True): "FF", (True, True): "SF"}[
        (from_start, to_finish)
    ]
    pred_node, succ_node = ctx.tasks[pred], ctx.tasks[succ]
    if pred == succ or _under(pred_node, succ_node) or _under(succ_node, pred_node):
        ctx.skip("link[s] between a summary task and a task inside it (techpm forbids them)")
        return None
    if from_start and pred_node.children:
        ctx.skip("link[s] from the start of a summary task (techpm forbids them)")
        return None
    lag = ""
    for option in options:
        if option.name in ("gaplength", "gapduration") and option.tokens:
            token = option.tokens[-1]
            lag = work(ctx, token) if option.name == "gaplength" else calendar_time(ctx, token)
    entry: dict[str, Any] = {"task": pred}
    if kind != "FS":
        entry["type"] = kind
    if lag and float(re.sub(r"[a-z]+$", "", lag)) != 0:
        entry["lag"] = lag
    return entry if len(entry) > 1 else pred


def _under(node: Node, ancestor: Node) -> bool:
    up = node.parent
    while up is not None:
        if up is ancestor:
            return True
        up = up.parent
    return False


def _check_cycles(ctx: ReadContext, links: list[tuple[str, str]]) -> None:
    cycle = cycle_among(list(ctx.tasks), links)
    if cycle is not None:
        raise ctx.error(
            ctx.tasks[cycle[0]].line,
            "depends/precedes loop: " + " -> ".join([*cycle, cycle[0]]),
            code="import.cycle",
        )
