"""A TaskJuggler .tjp file as a plan-file mapping: the common subset, the rest named.

Task ids become TaskJuggler's full dotted ids (`AcSo.software.gui`), so links read the
same in both. Efforts with allocations stay efforts; `length` (working time) is a
duration; `duration` (calendar time) is converted to working days and said so.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from techpm.interop.exchange import ImportResult, fail
from techpm.interop.taskjuggler.context import SILENT, Node, ReadContext
from techpm.interop.taskjuggler.dates import WEEKDAYS, day_of, intervals, span_end, working_hours
from techpm.interop.taskjuggler.lexer import Lexer, Statement, TjpSyntaxError
from techpm.interop.taskjuggler.links import read_links
from techpm.interop.taskjuggler.resources import resource_docs
from techpm.interop.taskjuggler.statements import statements
from techpm.interop.taskjuggler.tasks import task_doc

REPORTS = frozenset(
    (
        "taskreport",
        "resourcereport",
        "textreport",
        "tracereport",
        "accountreport",
        "icalreport",
        "export",
        "nikureport",
        "statussheetreport",
        "timesheetreport",
        "navigator",
    )
)
WHY = {
    "reports": "reports are output, not plan",
    "accounts": "cost accounts are not modelled",
    "other": "not part of a techpm plan",
}


def read_tjp(path: Path) -> ImportResult:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise fail(path, "", f"cannot read: {exc.strerror}", code="import.unreadable") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise fail(path, f"line {line}", "not UTF-8 text", code="import.bad_encoding") from None
    lexer = Lexer(files=[path])
    try:
        tree = statements(lexer.tokens(text))
        return _read(ReadContext(path, lexer), tree)
    except TjpSyntaxError as exc:
        source, line = lexer.where(exc.line)
        raise fail(source or path, f"line {line}", exc.message, code="import.bad_syntax") from None
    except RecursionError:
        raise fail(path, "", "blocks nest too deeply", code="import.bad_syntax") from None
    except OverflowError:
        raise fail(
            path, "", "a date or span reaches past the year 9999", "import.bad_tjp"
        ) from None


# the file's top level -------------------------------------------------------------


def _read(ctx: ReadContext, tree: list[Statement]) -> ImportResult:
    header = next((s for s in tree if s.name == "project"), None)
    if header is None:
        raise fail(ctx.path, "", "no `project` header: not a TaskJuggler project file")
    _project(ctx, header)
    for statement in tree:
        _top(ctx, statement)
    calendar: dict[str, Any] = {"workweek": ctx.week or list(WEEKDAYS[:5])}
    if ctx.week is None:
        calendar["hours"] = ["09:00-12:00", "13:00-18:00"]  # TaskJuggler's default day
    if ctx.nonworking:
        calendar["nonworking"] = ctx.nonworking
    ctx.calendars["standard"] = calendar
    resources = resource_docs(ctx)
    tasks = [task_doc(ctx, node, {}) for node in ctx.top_tasks]
    read_links(ctx)
    _macro_notes(ctx)
    document = {
        "project": ctx.project,
        "calendars": ctx.calendars,
        "resources": resources,
        "tasks": tasks,
    }
    skipped = ctx.skipped_messages() + tuple(ctx.notes)
    return ImportResult("tjp", document, skipped, reference_dates=ctx.reference)


def _project(ctx: ReadContext, header: Statement) -> None:
    tokens = header.tokens
    strings = [t for t in tokens if t.kind == "string"]
    dates = [t for t in tokens if t.kind == "date"]
    if not strings or not dates:
        raise ctx.error(header.line, "the project header needs a name and a start date")
    ctx.project = {"name": strings[0].text.strip() or ctx.path.stem}
    ctx.start = day_of(ctx, dates[0])[0]
    ctx.project["start"] = ctx.start
    ctx.end = day_of(ctx, dates[1])[0] if len(dates) > 1 else span_end(ctx, tokens)
    if ctx.end is not None:
        ctx.notes.append(
            f"project end {ctx.end.isoformat()} (TaskJuggler's scheduling window; "
            "techpm plans until the work is done)"
        )
    for item in header.body:
        name, args = item.name, item.tokens
        if name == "now":
            ctx.skip("`now` date[s] (as a status date it would move all unstarted work after it)")
        elif name == "currency" and args and re.fullmatch(r"[A-Z]{3}", args[0].text):
            ctx.project["currency"] = args[0].text
        elif name == "dailyworkinghours" and args:
            ctx.day_hours = float(args[0].text)
        elif name == "workinghours":
            ctx.week = working_hours(ctx, item, ctx.week or {})
        elif name == "scenario":
            ctx.scenario = args[0].text if args else "plan"
            nested = sum(1 for s in item.body if s.name == "scenario")
            ctx.skip("scenario[s] besides the first (only its values are read)", nested)
        elif name == "extend":
            ctx.custom |= {s.tokens[0].text for s in item.body if s.tokens}
        elif name not in SILENT:
            ctx.skip(f"project attribute[s] `{name}`", line=item.line)


def _top(ctx: ReadContext, statement: Statement) -> None:
    name = statement.name
    if name == "project":
        return
    if name == "task":
        ctx.top_tasks.append(_node(ctx, statement, None, ctx.tasks))
    elif name == "resource":
        ctx.top_resources.append(_node(ctx, statement, None, ctx.resources))
    elif name == "supplement":
        _supplement(ctx, statement)
    elif name in ("leaves", "vacation"):
        for first, last in intervals(ctx, statement):
            ctx.nonworking.append(first if first == last else {"from": first, "to": last})
    elif name == "rate" and statement.tokens and statement.tokens[0].kind == "number":
        ctx.default_rate = f"{statement.tokens[0].text}/d"
    elif name in REPORTS:
        ctx.skip(f"{name} block[s] ({WHY['reports']})", line=statement.line)
    elif name in ("account", "balance"):
        ctx.skip(f"{name} statement[s] ({WHY['accounts']})", line=statement.line)
    elif name not in SILENT:
        ctx.skip(f"`{name}` statement[s] ({WHY['other']})", line=statement.line)


def _macro_notes(ctx: ReadContext) -> None:
    for line, name in ctx.lexer.unknown_macros:
        ctx.notes.append(f"undefined macro ${{{name}}} on {ctx.place(line)} left out")
    used = sorted(ctx.lexer.used_macros)
    if used:
        ctx.notes.append(f"macros expanded where used: {', '.join(used)}")
    included = [p.name for p in ctx.lexer.files[1:]]
    if included:
        ctx.notes.append(f"included files read in place: {', '.join(dict.fromkeys(included))}")


# tasks and resources as trees -----------------------------------------------------


def _node(
    ctx: ReadContext, statement: Statement, parent: Node | None, into: dict[str, Node]
) -> Node:
    tokens = statement.tokens
    names = [t for t in tokens if t.kind == "string"]
    kind = statement.name
    if not names:
        raise ctx.error(statement.line, f"a {kind} needs a name in quotes")
    if tokens and tokens[0].kind == "id":
        local = tokens[0].text
    else:
        local = re.sub(r"[^A-Za-z0-9_]+", "_", names[0].text).strip("_").lower() or kind
    ident = local if kind == "resource" or parent is None else f"{parent.ident}.{local}"
    base, n = ident, 1
    named = bool(tokens) and tokens[0].kind == "id"
    while ident in into and not named:
        n += 1
        ident = f"{base}_{n}"
    if ident in into:
        raise ctx.error(statement.line, f"{kind} {ident!r} is defined twice")
    node = Node(ident, names[0].text.strip() or local, statement.line, parent)
    into[ident] = node
    for item in statement.body:
        if item.name == kind:
            node.children.append(_node(ctx, item, node, into))
        else:
            node.attrs.append(item)
    return node


def _supplement(ctx: ReadContext, statement: Statement) -> None:
    tokens = statement.tokens
    if len(tokens) < 2 or tokens[0].text not in ("task", "resource"):
        ctx.skip(
            "`supplement` statement[s] for other than tasks and resources", line=statement.line
        )
        return
    table = ctx.tasks if tokens[0].text == "task" else ctx.resources
    node = table.get(tokens[1].text)
    if node is None:
        raise ctx.error(
            statement.line, f"supplement of unknown {tokens[0].text} {tokens[1].text!r}"
        )
    for item in statement.body:
        if item.name == tokens[0].text:
            node.children.append(_node(ctx, item, node, table))
        else:
            node.attrs.append(item)
