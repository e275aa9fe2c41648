"""Build a pydantic-settings model from an explicit environment, with errors that name the variable.

Every settings class is read through `read_settings`, never by instantiating it, so that tests
pass a plain mapping and nothing reads `os.environ` at import time.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_settings import BaseSettings
from pydantic_settings.sources import EnvSettingsSource

from techpm.domain.errors import TechpmError

S = TypeVar("S", bound=BaseSettings)


class SettingsError(TechpmError):
    code = "settings.invalid"


class _MappingSource(EnvSettingsSource):
    """pydantic-settings' own environment source, fed from a mapping instead of `os.environ`."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = dict(environ)
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {
            (name if self.case_sensitive else name.lower()): value
            for name, value in self._environ.items()
            if value or not self.env_ignore_empty
        }


def variable_name(cls: type[BaseSettings], field: str) -> str:
    prefix = str(cls.model_config.get("env_prefix") or "")
    return f"{prefix}{field}".upper()


def read_settings(
    cls: type[S],
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    defaults: Mapping[str, Any] | None = None,
    secret_fields: Collection[str] = (),
    error: type[TechpmError] = SettingsError,
) -> S:
    """`overrides` (command-line options; None means not given) win over the environment,
    which wins over `defaults` (values computed when the model cannot compute them itself).

    A bad value raises `error` naming the variable; the value is shown unless it is secret.
    """
    values: dict[str, Any] = dict(defaults or {})
    values.update(_MappingSource(cls, os.environ if environ is None else environ)())
    values.update({key: value for key, value in (overrides or {}).items() if value is not None})
    try:
        return cls.model_validate(values)
    except ValidationError as exc:
        raise error(_describe(cls, exc, secret_fields)) from None


def _describe(cls: type[BaseSettings], exc: ValidationError, secret_fields: Collection[str]) -> str:
    lines = []
    for problem in exc.errors(include_url=False):
        if problem["type"] == "default_factory_not_called":
            continue  # a follow-on of an error already listed
        field = str(problem["loc"][0]) if problem["loc"] else ""
        name = variable_name(cls, field) if field else cls.__name__
        reason = problem.get("ctx", {}).get("error")
        what = str(reason) if isinstance(reason, ValueError) else problem["msg"].lower()
        shown = "" if field in secret_fields or reason else f", got {problem['input']!r}"
        lines.append(f"{name}: {what}{shown}")
    return "; ".join(lines)
