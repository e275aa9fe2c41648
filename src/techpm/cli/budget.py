"""`techpm budget`: the time-phased budget (planned value) and the reserves."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from techpm.cli.output import Format, emit_csv, emit_json, number, reporting_errors, stdout
from techpm.cli.schedule import (
    ENGINE_OPT,
    FORMAT_OPT,
    LEVEL_OPT,
    OUTPUT_OPT,
    PLAN_ARG,
    TIME_LIMIT_OPT,
    Engine,
)
from techpm.cli.tables import print_table
from techpm.services.budgeting import Budget, plan_budget
from techpm.services.views_budget import budget_json

__all__ = ["budget_json"]


class By(StrEnum):
    day = "day"
    week = "week"
    month = "month"


def budget(
    plan: Path = PLAN_ARG,
    by: By = typer.Option(By.week, "--by", help="Length of a period."),
    format: Format = FORMAT_OPT,
    output: Path | None = OUTPUT_OPT,
    level: bool | None = LEVEL_OPT,
    engine: Engine = ENGINE_OPT,
    time_limit: float = TIME_LIMIT_OPT,
) -> None:
    """The budget over time: planned value per period and account, cumulative, and the
    budget at completion with the reserves."""
    with reporting_errors():
        result = plan_budget(
            plan, by=by.value, level=level, engine=engine.value, time_limit=time_limit
        )
    accounts = sorted({a for p in result.periods for a in p.by_account})
    if format is Format.json:
        emit_json(budget_json(result), output)
    elif format is Format.csv:
        header = ["period_start", "period_end", *accounts, "planned_value", "cumulative"]
        rows = [
            [
                p.start.isoformat(),
                p.end.isoformat(),
                *(str(p.by_account.get(a, "0.00")) for a in accounts),
                str(p.total),
                str(p.cumulative),
            ]
            for p in result.periods
        ]
        emit_csv(header, rows, output)
    else:
        print_budget(result, accounts)


def print_budget(result: Budget, accounts: list[str]) -> None:
    currency = result.schedule.problem.project.info.currency
    table = Table(title=f"Planned value ({currency})", title_justify="left")
    table.add_column("Period")
    for account in accounts:
        table.add_column(account, justify="right")
    table.add_column("Planned value", justify="right")
    table.add_column("Cumulative", justify="right")
    for p in result.periods:
        table.add_row(
            p.start.isoformat(),
            *(f"{p.by_account.get(a, 0):,.2f}" for a in accounts),
            f"{p.total:,.2f}",
            f"{p.cumulative:,.2f}",
        )
    print_table(table)
    for label, value in (
        ("Budget at completion (BAC)", result.bac),
        ("Contingency reserve", result.contingency),
        ("Cost baseline", result.cost_baseline),
        ("Management reserve", result.management_reserve),
        ("Total budget", result.total),
    ):
        stdout.print(f"{label:<28} {value:>14,.2f} {currency}", markup=False)
    if result.needs:
        stdout.print(
            "Skill needs are priced at the rate of the person who fills them "
            + ("(leveled):" if result.schedule.leveling else "(chosen at the plan's dates):"),
            markup=False,
        )
    for need in result.needs:
        stdout.print(
            f"  {need.task_id}: {need.skill} filled by {need.resource_id}"
            f"{'' if need.units == 1 else f' ({number(need.units)})'}, "
            f"{need.cost:,.2f} {currency}",
            markup=False,
        )
