"""Tables for the terminal that keep user text as text and the id and name readable.

A table that is wider than the terminal first spells some columns shorter (dates without
the weekday), then hides the least important columns, and wraps long text (names) onto
more lines; it never squeezes a cell down to nothing. `--wide` keeps every column. Piped
output has no width to fit and keeps every cell whole.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import typer
from rich.box import HEAVY_HEAD
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, JustifyMethod
from rich.measure import Measurement
from rich.segment import Segments
from rich.table import Table
from rich.text import Text

from techpm.cli.output import stdout

Cell = str | Text

WIDE_OPT = typer.Option(
    False, "--wide", help="Show every column, even when the terminal is narrower."
)

# a wrapping column (a name) gets this many characters before less important columns stay
# shown, and never fewer than WRAP_MIN while the table fits at all
WRAP_PREFER = 28
WRAP_MIN = 18
# the frame: one border on the left, and per column one space either side and a border
FRAME = 1
PER_COLUMN = 3


@dataclass(frozen=True)
class Column:
    """`hide`: 0 is always shown; when the table does not fit, 1 goes first, then 2 ...
    `short` spells a cell shorter; it is tried at step `short_at`, before hiding that step."""

    header: str
    justify: JustifyMethod = "left"
    hide: int = 0
    wrap: bool = False
    short: Callable[[str], str] | None = None
    short_at: int = 0


def text(value: str, style: str | None = None) -> Text:
    """A cell that is shown as written, whatever brackets or colons it holds."""
    return Text(value, style=style or "")


def terminal_width(console: Console = stdout) -> int | None:
    """The width to fit: COLUMNS when set, the terminal's, or none for piped output."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return console.size.width if console.is_terminal else None


def _as_text(cell: Cell) -> Text:
    return cell if isinstance(cell, Text) else Text(cell)


def _width(cell: Cell) -> int:
    plain = cell.plain if isinstance(cell, Text) else cell
    return max((cell_len(line) for line in plain.splitlines()), default=0)


def _shortened(cell: Cell, short: Callable[[str], str]) -> Cell:
    if isinstance(cell, Text):
        return Text(short(cell.plain), style=cell.style)
    return short(cell)


@dataclass
class _Plan:
    columns: list[Column]
    rows: list[list[Cell]]
    floor: int = WRAP_PREFER

    def natural(self, n: int) -> int:
        return max([_width(Text(self.columns[n].header)), *(_width(r[n]) for r in self.rows)])

    def least(self, n: int) -> int:
        natural = self.natural(n)
        return (
            min(natural, max(self.floor, cell_len(self.columns[n].header)))
            if (self.columns[n].wrap)
            else natural
        )

    def needed(self, shown: list[int], *, least: bool = True) -> int:
        widths = (self.least(n) if least else self.natural(n) for n in shown)
        return FRAME + sum(w + PER_COLUMN for w in widths)


def fit(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int | None
) -> tuple[list[int], list[list[Cell]]]:
    """The columns to show and the cells to show in them, so that the table fits `width`."""
    plan = _Plan(list(columns), [list(r) for r in rows])
    shown = list(range(len(columns)))
    if width is None:
        return shown, plan.rows
    steps = sorted({c.hide for c in columns if c.hide} | {c.short_at for c in columns if c.short})
    for step in steps:
        if plan.needed(shown) <= width:
            break
        for n, column in enumerate(columns):
            if column.short is not None and column.short_at == step:
                for row in plan.rows:
                    row[n] = _shortened(row[n], column.short)
        if plan.needed(shown) <= width:
            break
        # hide this step's columns one by one, rightmost first, until the table fits
        for n in reversed([n for n in shown if columns[n].hide == step]):
            shown.remove(n)
            if plan.needed(shown) <= width:
                break
    return shown, plan.rows


def _parts(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], repeat: int, width: int
) -> list[list[int]]:
    """The columns of each table, the first `repeat` in every one, as many others as fit."""
    plan = _Plan(list(columns), [list(r) for r in rows])
    keys = list(range(min(repeat, len(columns))))
    parts: list[list[int]] = []
    current = list(keys)
    for n in range(len(keys), len(columns)):
        if len(current) > len(keys) and plan.needed([*current, n]) > width:
            parts.append(current)
            current = list(keys)
        current.append(n)
    parts.append(current)
    return parts


def show_table(
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    styles: Sequence[str | None] | None = None,
    wide: bool = False,
    show_lines: bool = False,
    console: Console = stdout,
    hint: bool = True,
    repeat: int = 0,
) -> list[str]:
    """Print the table fitted to the terminal; returns the headers of the hidden columns.

    `repeat`: a table of periods (a column per week) that is too wide is shown as several
    tables, each repeating the first `repeat` columns, instead of cutting its cells."""
    width = terminal_width(console)
    if repeat and width is not None and not wide:
        parts = _parts(columns, rows, repeat, width)
        if len(parts) > 1:
            for k, part in enumerate(parts):
                show_table(
                    title if k == 0 else f"{title} (continued)",
                    [columns[n] for n in part],
                    [[row[n] for n in part] for row in rows],
                    styles=styles,
                    show_lines=show_lines,
                    console=console,
                )
            return []
    shown, cells = fit(columns, rows, None if wide else width)
    plan = _Plan(list(columns), cells)
    if width is not None and not wide and plan.needed(shown) > width:
        plan.floor = WRAP_MIN  # squeeze names down to WRAP_MIN before cutting anything
    fits = width is None or wide or plan.needed(shown) <= width
    table = Table(
        title=Text(title) if title else None,
        title_justify="left",
        box=HEAVY_HEAD,
        show_lines=show_lines,
    )
    for n in shown:
        column = columns[n]
        table.add_column(
            Text(column.header),
            justify=column.justify,
            no_wrap=not column.wrap,
            overflow="fold" if column.wrap else "ellipsis",
            min_width=plan.least(n) if column.wrap and fits else None,
        )
    for r, row in enumerate(cells):
        style = styles[r] if styles else None
        table.add_row(
            *(_as_text(row[n]) for n in shown),
            style=style or None,
        )
    natural = max(plan.needed(shown, least=False), cell_len(title))
    target = natural if width is None or wide else min(natural, width)
    console.print(Segments(console.render(table, _options(console, target))))
    hidden = [columns[n].header for n in range(len(columns)) if n not in shown]
    if hidden and hint:
        console.print(
            Text(
                f"({len(hidden)} column{'s' if len(hidden) > 1 else ''} hidden to fit "
                f"{width} characters: {', '.join(h or 'flags' for h in hidden)}; "
                "--wide shows them)",
                style="dim",
            )
        )
    return hidden


def duration_text(minutes: float, minutes_per_day: int) -> str:
    """Working time in the largest unit that reads well: days to one decimal (`34.8d`),
    hours under a day (`4h`, `2.5h`), minutes under an hour (`30m`). Never weeks: a week's
    length depends on the calendar, and schedules are read in days."""
    sign = "-" if minutes < 0 else ""
    magnitude = abs(minutes)
    if magnitude == 0:
        return "0d"
    if magnitude >= minutes_per_day:
        return f"{sign}{magnitude / minutes_per_day:.1f}".removesuffix(".0") + "d"
    if magnitude >= 60:
        return f"{sign}{magnitude / 60:.1f}".removesuffix(".0") + "h"
    return f"{sign}{magnitude:.0f}m"


def without_weekday(cell: str) -> str:
    """`Wed 2027-01-06` -> `2027-01-06`."""
    return cell[4:] if len(cell) > 4 and cell[3] == " " else cell


def print_table(table: Table, console: Console = stdout) -> None:
    """A rich Table at the terminal's width (COLUMNS when set), or whole when piped."""
    width = terminal_width(console)
    natural = Measurement.get(console, console.options.update_width(10_000), table).maximum
    title = table.title
    natural = max(natural, cell_len(title.plain if isinstance(title, Text) else str(title or "")))
    target = natural if width is None else min(natural, width)
    console.print(Segments(console.render(table, _options(console, target))))


def _options(console: Console, width: int) -> ConsoleOptions:
    """Render at `width`; titles stay on one line (columns wrap by their own settings)."""
    return console.options.update_width(width).update(no_wrap=True, overflow="ignore")
