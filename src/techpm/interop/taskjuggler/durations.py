"""TaskJuggler spans (4h, 5d, 2w) as plan durations: working time, or calendar time converted."""

from __future__ import annotations

from techpm.interop.taskjuggler.context import ReadContext
from techpm.interop.taskjuggler.lexer import Statement, Token

YEARLY_WORKING_DAYS = 260.714  # TaskJuggler's default
CALENDAR_DAYS = {"min": 1 / 1440, "h": 1 / 24, "d": 1, "w": 7, "m": 30.4167, "y": 365}


def amount(value: float, unit: str) -> str:
    text = f"{round(value, 2):g}"
    return f"{text}{unit}"


def number(ctx: ReadContext, item: Statement) -> Token:
    numbers = [t for t in item.tokens if t.kind == "number"]
    if not numbers:
        raise ctx.error(item.line, f"`{item.name}` needs a number")
    return numbers[0]


def amount_of(ctx: ReadContext, token: Token) -> tuple[float, str]:
    if token.kind != "number" or (token.unit or "d") not in CALENDAR_DAYS:
        raise ctx.error(token.line, f"expected a duration such as 5d or 4h, not {token.text!r}")
    return float(token.text), token.unit or "d"


def work(ctx: ReadContext, token: Token) -> str:
    """Working time (effort, length) in plan units; a day is `dailyworkinghours`."""
    value, unit = amount_of(ctx, token)
    if unit in ("min", "h"):
        return amount(value, "m" if unit == "min" else "h")
    days = value * {
        "d": 1,
        "w": 5,
        "m": YEARLY_WORKING_DAYS / 12,
        "y": YEARLY_WORKING_DAYS,
    }.get(unit, 1)
    if ctx.day_hours != 8:
        return amount(days * ctx.day_hours, "h")
    return amount(days, "d")


def calendar_time(ctx: ReadContext, token: Token) -> str:
    """Calendar time as working time: five working days in seven (approximated)."""
    value, unit = amount_of(ctx, token)
    if unit in ("min", "h"):
        return amount(value, "m" if unit == "min" else "h")
    if unit == "w":
        return amount(value * 5, "d")
    ctx.skip("calendar-time duration[s] approximated as working days (5 in 7)")
    return amount(max(value * CALENDAR_DAYS.get(unit, 1) * 5 / 7, 1 / 8), "d")
