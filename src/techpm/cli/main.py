"""Entry point of the `techpm` command."""

from __future__ import annotations

import os
import sys

import typer

from techpm import __version__
from techpm.cli import (
    baselines,
    budget,
    evm,
    exchange,
    forecast,
    ideas,
    metrics,
    notify,
    plan,
    procurement,
    progress,
    raci,
    report,
    resources,
    risks,
    schedule,
    simulate,
    stakeholders,
    verify,
)
from techpm.cli.output import stderr

app = typer.Typer(
    name="techpm",
    help="Plan as code for technical project managers: schedules, critical path and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(plan.init)
app.command()(plan.check)
app.command()(schedule.schedule)
app.command()(schedule.explain)
app.command()(plan.schema)
app.command()(verify.verify)
app.command()(resources.workload)
app.command()(resources.staffing)
app.command()(risks.risks)
app.command()(simulate.simulate)
app.command()(budget.budget)
app.command()(baselines.baseline)
app.command()(baselines.variance)
app.command()(evm.evm)
app.command()(procurement.procurement)
app.command()(progress.progress)
app.command()(stakeholders.stakeholders)
app.command()(raci.raci)
app.command()(report.report)
app.command()(notify.notify)
app.command(name="import")(exchange.import_)
app.command()(exchange.export)
app.command()(forecast.forecast)
app.command()(metrics.metrics)
app.add_typer(metrics.sprint_app)
app.command()(ideas.ideas)
app.add_typer(ideas.idea_app)


def _version(value: bool) -> None:
    if value:
        print(f"techpm {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """techpm: plan as code for technical project managers."""


def main() -> None:
    """Run the CLI; an unexpected failure is reported in one line unless TECHPM_DEBUG is set."""
    try:
        app()
    except Exception as exc:  # the last guard against a traceback reaching a user
        if os.environ.get("TECHPM_DEBUG"):
            raise
        stderr.print(
            f"internal error: {type(exc).__name__}: {exc} (set TECHPM_DEBUG=1 for details)",
            markup=False,
        )
        sys.exit(70)


if __name__ == "__main__":
    main()
