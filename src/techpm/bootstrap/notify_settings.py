"""Notification settings from the environment (`TECHPM_SMTP_*`, `TECHPM_MAIL_TO`,
`TECHPM_WEBHOOK_*`), merged with the optional TOML file by the notify adapter.

Empty variables count as unset, as CI systems often define them empty; values are stripped,
except the password.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from techpm.bootstrap.environment import read_settings
from techpm.interop.notify.config import (
    MAX_PORT,
    NotifyConfig,
    NotifyConfigError,
    NotifyOverrides,
    load_config,
)

TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")
SECRET_FIELDS = ("smtp_password", "webhook_url")


def _stripped(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    return value


class NotifySettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TECHPM_", env_ignore_empty=True, frozen=True, extra="ignore"
    )

    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_starttls: bool | None = None
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    mail_to: str | None = None
    webhook_url: SecretStr | None = None
    webhook_format: str | None = None

    @field_validator(
        "smtp_host", "smtp_user", "smtp_from", "mail_to", "webhook_format", mode="before"
    )
    @classmethod
    def _strip(cls, value: object) -> object:
        return _stripped(value)

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _strip_url(cls, value: object) -> object:
        return _stripped(value)

    @field_validator("smtp_port", mode="before")
    @classmethod
    def _port(cls, value: object) -> object:
        text = _stripped(value)
        if not isinstance(text, str):
            return text
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_PORT:
            raise ValueError(f"expected a port number, got {text!r}")
        return int(text)

    @field_validator("smtp_starttls", mode="before")
    @classmethod
    def _flag(cls, value: object) -> object:
        text = _stripped(value)
        if not isinstance(text, str):
            return text
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise ValueError(f"expected one of {'/'.join(TRUE_WORDS + FALSE_WORDS)}, got {text!r}")

    def overrides(self) -> NotifyOverrides:
        to = self.mail_to
        return NotifyOverrides(
            smtp_host=self.smtp_host,
            smtp_port=self.smtp_port,
            smtp_starttls=self.smtp_starttls,
            smtp_username=self.smtp_user,
            smtp_password=_reveal(self.smtp_password),
            smtp_sender=self.smtp_from,
            recipients=None if to is None else tuple(a.strip() for a in to.split(",") if a.strip()),
            webhook_url=_reveal(self.webhook_url),
            webhook_format=self.webhook_format,
        )


def _reveal(value: SecretStr | None) -> str | None:
    return None if value is None else value.get_secret_value()


def load_notify_settings(environ: Mapping[str, str] | None = None) -> NotifySettings:
    """Bad values raise `notify.config` errors naming the variable (never a secret's value)."""
    return read_settings(
        NotifySettings, environ, secret_fields=SECRET_FIELDS, error=NotifyConfigError
    )


def load_notify_config(path: Path | None, environ: Mapping[str, str] | None = None) -> NotifyConfig:
    """The file (if given) completed by the environment, which wins where both speak.

    The file's `password_env` and `url_env` name variables of the same environment.
    """
    env = os.environ if environ is None else environ
    return load_config(path, env, load_notify_settings(env).overrides())


def notification_config(
    config: Path | None, environ: Mapping[str, str] | None = None, *, required: bool = True
) -> NotifyConfig:
    """`required=False` (a dry run) accepts no channel at all: it only lists who would get what."""
    settings = load_notify_config(config, environ)
    if required and settings.smtp is None and not settings.webhooks:
        raise NotifyConfigError(
            "nothing to send with: give --config FILE or set TECHPM_SMTP_HOST or "
            "TECHPM_WEBHOOK_URL",
            code="notify.config",
        )
    return settings
