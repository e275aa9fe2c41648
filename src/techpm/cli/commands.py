"""The command table of `techpm`, loaded lazily: a command's module (and the engines, charts
and PDF writer it needs) is imported only when that command runs or its help is shown, so
`techpm --version` and `techpm check` start in a fraction of a second."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer.main
from typer.core import TyperGroup
from typer.models import CommandInfo, TyperInfo

# name -> (module under techpm.cli, function); in the order `techpm --help` lists them
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("plan", "init"),
    "check": ("plan", "check"),
    "schedule": ("schedule", "schedule"),
    "explain": ("schedule", "explain"),
    "schema": ("plan", "schema"),
    "verify": ("verify", "verify"),
    "workload": ("resources", "workload"),
    "staffing": ("resources", "staffing"),
    "risks": ("risks", "risks"),
    "simulate": ("simulate", "simulate"),
    "budget": ("budget", "budget"),
    "baseline": ("baselines", "baseline"),
    "variance": ("baselines", "variance"),
    "evm": ("evm", "evm"),
    "procurement": ("procurement", "procurement"),
    "progress": ("progress", "progress"),
    "stakeholders": ("stakeholders", "stakeholders"),
    "raci": ("raci", "raci"),
    "report": ("report", "report"),
    "notify": ("notify", "notify"),
    "import": ("exchange", "import_"),
    "export": ("exchange", "export"),
    "forecast": ("forecast", "forecast"),
    "metrics": ("metrics", "metrics"),
    "ideas": ("ideas", "ideas"),
    "serve": ("serve", "serve"),
    "demo": ("serve", "demo"),
    "login": ("remote", "login"),
    "pull": ("remote", "pull"),
    "push": ("remote", "push"),
}
# command groups (sub-apps): name -> (module, Typer instance)
GROUPS: dict[str, tuple[str, str]] = {
    "sprint": ("metrics", "sprint_app"),
    "idea": ("ideas", "idea_app"),
    "db": ("database", "db_app"),
    "user": ("accounts", "user_app"),
    "token": ("accounts", "token_app"),
}


class LazyCommands(MutableMapping[str, Any]):
    """Every command name is known up front; a command is built when it is first looked up."""

    def __init__(self, rich_markup_mode: Any, pretty_exceptions_short: bool) -> None:
        self._loaded: dict[str, Any] = {}
        self._extra: dict[str, Any] = {}
        self._markup = rich_markup_mode
        self._short = pretty_exceptions_short

    def _load(self, name: str) -> Any:
        if name in GROUPS:
            module, attribute = GROUPS[name]
            sub_app = getattr(importlib.import_module(f"techpm.cli.{module}"), attribute)
            return typer.main.get_group_from_info(
                TyperInfo(sub_app),
                pretty_exceptions_short=self._short,
                suggest_commands=True,
                rich_markup_mode=self._markup,
            )
        module, function = COMMANDS[name]
        callback = getattr(importlib.import_module(f"techpm.cli.{module}"), function)
        return typer.main.get_command_from_info(
            CommandInfo(name=name, callback=callback),
            pretty_exceptions_short=self._short,
            rich_markup_mode=self._markup,
        )

    def __getitem__(self, name: str) -> Any:
        if name in self._extra:
            return self._extra[name]
        if name not in COMMANDS and name not in GROUPS:
            raise KeyError(name)
        if name not in self._loaded:
            self._loaded[name] = self._load(name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._extra[name] = command

    def __delitem__(self, name: str) -> None:
        del self._extra[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from GROUPS
        yield from (name for name in self._extra if name not in COMMANDS and name not in GROUPS)

    def __len__(self) -> int:
        return len(list(iter(self)))


class LazyGroup(TyperGroup):
    """The root group: its commands come from the lazy table above."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        lazy = LazyCommands(self.rich_markup_mode, pretty_exceptions_short=True)
        for name, command in self.commands.items():
            lazy[name] = command
        self.commands = lazy

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)
