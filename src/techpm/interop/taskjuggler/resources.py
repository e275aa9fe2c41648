"""TaskJuggler resources as plan resources; groups become tags, and allocations their members."""

from __future__ import annotations

from typing import Any

from techpm.interop.taskjuggler.context import TASK_SKIPS, Node, ReadContext
from techpm.interop.taskjuggler.dates import intervals, working_hours


def resource_docs(ctx: ReadContext) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []

    def walk(node: Node, inherited: dict[str, Any], groups: list[str]) -> None:
        own = dict(inherited)
        for item in node.attrs:
            name = ctx.attr_name(item)
            if name is None:
                continue
            tokens = item.tokens
            if name == "email" and tokens:
                own["email"] = tokens[0].text
            elif name == "rate" and tokens and tokens[0].kind == "number":
                own["rate"] = f"{tokens[0].text}/d"
            elif name in ("leaves", "vacation"):
                own["vacations"] = own.get("vacations", []) + [
                    {"from": a, "to": b} for a, b in intervals(ctx, item)
                ]
            elif name == "workinghours":
                own["week"] = working_hours(ctx, item, own.get("week") or {})
            elif name == "flags":
                own["tags"] = own.get("tags", []) + [t.text for t in tokens if t.kind == "id"]
            elif name == "efficiency":
                ctx.skip("resource efficienc[y|ies] (techpm has none)", line=item.line)
            elif name == "managers":
                ctx.skip("`managers` statement[s] (no org chart in a plan)", line=item.line)
            else:
                ctx.skip(TASK_SKIPS.get(name, f"resource attribute[s] `{name}`"), line=item.line)
        if node.children:
            passed = {k: v for k, v in own.items() if k != "email"}
            for child in node.children:
                walk(child, passed, [*groups, node.ident])
            return
        doc: dict[str, Any] = {"id": node.ident, "name": node.name}
        for key in ("email", "rate", "vacations"):
            if own.get(key):
                doc[key] = own[key]
        if "rate" not in doc and ctx.default_rate:
            doc["rate"] = ctx.default_rate
        tags = list(dict.fromkeys([*groups, *own.get("tags", [])]))
        if tags:
            doc["tags"] = tags
        if own.get("week"):
            calendar = node.ident if node.ident != "standard" else "standard_resource"
            ctx.calendars[calendar] = {"base": "standard", "workweek": own["week"]}
            doc["calendar"] = calendar
        doc["refs"] = {"tjp": node.ident}
        docs.append(doc)

    for top in ctx.top_resources:
        walk(top, {}, [])
    return docs


def members(ctx: ReadContext, ident: str, line: int) -> list[str]:
    """The people a resource stands for: itself, or every member of a group."""
    node = ctx.resources.get(ident)
    if node is None:
        raise ctx.error(line, f"allocates {ident!r}, which is not a resource")
    if not node.children:
        return [ident]
    return [m for child in node.children for m in members(ctx, child.ident, line)]
