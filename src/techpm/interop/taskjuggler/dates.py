"""TaskJuggler dates, date ranges and working hours as plan days, spans and weeks."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta

from techpm.interop.taskjuggler.context import ReadContext
from techpm.interop.taskjuggler.durations import CALENDAR_DAYS, amount_of
from techpm.interop.taskjuggler.lexer import Statement, Token

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_date(token: Token) -> tuple[date, bool]:
    """The day, and whether it is that day's midnight (an end then means the day before)."""
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:-(\d{1,2}):(\d{2}))?", token.text)
    if match is None:
        raise ValueError(token.text)
    day = date(int(match[1]), int(match[2]), int(match[3]))
    midnight = match[4] is None or (int(match[4]) == 0 and int(match[5]) == 0)
    return day, midnight


def clock(text: str) -> str:
    """9:00 -> 09:00"""
    hours, minutes = text.split(":")
    return f"{int(hours):02d}:{minutes}"


def day_of(ctx: ReadContext, token: Token) -> tuple[date, bool]:
    if token.kind == "macro" and token.text == "projectstart":
        return ctx.start, True
    if token.kind == "macro" and token.text == "projectend" and ctx.end is not None:
        return ctx.end, True
    if token.kind != "date":
        raise ctx.error(token.line, f"expected a date (YYYY-MM-DD), found {token.text!r}")
    try:
        return parse_date(token)
    except ValueError:
        raise ctx.error(token.line, f"{token.text!r} is not a date") from None


def unknown_day(ctx: ReadContext, item: Statement) -> bool:
    tokens = item.tokens
    if not tokens or tokens[0].kind != "macro":
        return False
    return tokens[0].text in ("now", "today") or (
        tokens[0].text == "projectend" and ctx.end is None
    )


def span_end(ctx: ReadContext, tokens: list[Token]) -> date | None:
    """The end of a `start +4m` header: calendar time after the start."""
    for n, token in enumerate(tokens[:-1]):
        if token.text == "+" and tokens[n + 1].kind == "number":
            value, unit = amount_of(ctx, tokens[n + 1])
            if unit in ("m", "y") and value == int(value):
                months = int(value) * (12 if unit == "y" else 1)
                years, month = divmod(ctx.start.month - 1 + months, 12)
                year = ctx.start.year + years
                if year > date.max.year:
                    raise ctx.error(token.line, "the project ends after the year 9999")
                day = min(ctx.start.day, monthrange(year, month + 1)[1])
                return date(year, month + 1, day)
            return ctx.start + timedelta(days=round(value * CALENDAR_DAYS[unit]))
    return None


def intervals(ctx: ReadContext, item: Statement) -> list[tuple[date, date]]:
    """`[type] ["name"] start [- end | + span], ...`; an end at midnight is not included."""
    found: list[tuple[date, date]] = []
    tokens = [t for t in item.tokens if t.kind != "string"]
    pos = 0
    while pos < len(tokens):
        token = tokens[pos]
        if token.kind != "date":
            pos += 1
            continue
        first = day_of(ctx, token)[0]
        last = first
        following = tokens[pos + 1] if pos + 1 < len(tokens) else None
        if following is not None and following.text == "-" and pos + 2 < len(tokens):
            end, midnight = day_of(ctx, tokens[pos + 2])
            last = max(first, end - timedelta(days=1) if midnight else end)
            pos += 3
        elif following is not None and following.text == "+" and pos + 2 < len(tokens):
            value, unit = amount_of(ctx, tokens[pos + 2])
            days = value * CALENDAR_DAYS[unit]
            last = first + timedelta(days=max(round(days) - 1, 0))
            pos += 3
        else:
            pos += 1
        found.append((first, last))
    if not found:
        raise ctx.error(item.line, f"`{item.name}` needs a date or a date range")
    return found


def working_hours(
    ctx: ReadContext, item: Statement, week: dict[str, list[str]]
) -> dict[str, list[str]]:
    """`workinghours mon - fri 9:00 - 12:00, 13:00 - 18:00` or `... sat, sun off`."""
    tokens = item.tokens
    days: list[str] = []
    pos = 0
    while pos < len(tokens) and tokens[pos].text in (*WEEKDAYS, "-", ","):
        text = tokens[pos].text
        if text == "-" and days and pos + 1 < len(tokens) and tokens[pos + 1].text in WEEKDAYS:
            first, last = WEEKDAYS.index(days[-1]), WEEKDAYS.index(tokens[pos + 1].text)
            days += list(WEEKDAYS[first + 1 : last + 1])
            pos += 2
            continue
        if text in WEEKDAYS:
            days.append(text)
        pos += 1
    off = any(t.text == "off" for t in tokens[pos:])
    times = [] if off else [t.text for t in tokens[pos:] if t.kind == "time"]
    if not days or len(times) % 2 or not (off or times):
        raise ctx.error(item.line, "workinghours needs weekdays and times (9:00 - 17:00) or off")
    spans = [f"{clock(a)}-{clock(b)}" for a, b in zip(times[::2], times[1::2], strict=True)]
    result = dict(week) if week else {d: ["09:00-12:00", "13:00-18:00"] for d in WEEKDAYS[:5]}
    for day in days:
        result[day] = spans
    return {d: result[d] for d in WEEKDAYS if result.get(d)}


def working_days(ctx: ReadContext, first: date, last: date) -> int:
    off: set[date] = set()
    for item in ctx.nonworking:
        day, to = (item, item) if isinstance(item, date) else (item["from"], item["to"])
        while day <= to:
            off.add(day)
            day += timedelta(days=1)
    workdays = {WEEKDAYS.index(d) for d in (ctx.week or dict.fromkeys(WEEKDAYS[:5]))}
    count, day = 0, first
    while day <= last:
        count += day.weekday() in workdays and day not in off
        day += timedelta(days=1)
    return max(count, 1)
