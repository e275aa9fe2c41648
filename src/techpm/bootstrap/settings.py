"""The server's settings (`TECHPM_*`): database, secret key, dev mode, where and how it listens.

Outside dev mode the server refuses a missing, placeholder or short secret key: sessions and
CSRF tokens signed with a guessable key are forgeries waiting to happen.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from techpm.bootstrap.environment import SettingsError, read_settings
from techpm.bootstrap.paths import user_data_dir
from techpm.persistence.urls import normalise_database_url, redact_database_url

MIN_SECRET_KEY_LENGTH = 32
SECRET_KEY_VARIABLE = "TECHPM_SECRET_KEY"
# Values copied from tutorials and templates; a key anyone can read is no key.
PLACEHOLDER_SECRET_KEYS = frozenset(
    {"changethis", "changeme", "change-me", "secret", "secret-key", "secretkey", "dev", "test"}
)
HOW_TO_MAKE_ONE = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
DATABASE_FILE = "techpm.db"


class SecretKeyError(SettingsError):
    code = "settings.secret_key"


def _sqlite_in_data_dir(data: dict[str, Any]) -> str:
    return f"sqlite:///{Path(data['data_dir']) / DATABASE_FILE}"


def _dev_key(data: dict[str, Any]) -> SecretStr | None:
    """Dev mode gets a key of its own per process: its sessions end with the process."""
    return SecretStr(secrets.token_urlsafe(32)) if data.get("dev") else None


class ServerSettings(BaseSettings):
    """`database_url` defaults to an SQLite file in `data_dir` (the user's data directory)."""

    model_config = SettingsConfigDict(
        env_prefix="TECHPM_", env_ignore_empty=True, frozen=True, extra="ignore"
    )

    # Order matters: the defaults of later fields are computed from earlier ones.
    data_dir: Path
    dev: bool = False
    database_url: str = Field(default_factory=_sqlite_in_data_dir, min_length=1)
    secret_key: SecretStr | None = Field(default_factory=_dev_key)
    host: str = Field(default="127.0.0.1", min_length=1)
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    job_workers: int = Field(default=2, ge=0, le=64)  # processes for background jobs; 0: none

    @field_validator("database_url")
    @classmethod
    def _database(cls, url: str) -> str:
        return normalise_database_url(url)

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            yield name, redact_database_url(value) if name == "database_url" else value

    @property
    def secret(self) -> str:
        """The key's value, for the code that signs; never logged."""
        if self.secret_key is None:  # only a hand-built instance gets here; load_settings refuses
            raise SecretKeyError(f"{SECRET_KEY_VARIABLE}: not set")
        return self.secret_key.get_secret_value()


def check_secret_key(key: SecretStr | None) -> None:
    """Refuse a key that is missing, a well-known placeholder or too short to resist guessing."""
    fix = (
        f"set {SECRET_KEY_VARIABLE} to a random value of your own ({HOW_TO_MAKE_ONE}), or use --dev"
    )
    if key is None:
        raise SecretKeyError(f"{SECRET_KEY_VARIABLE}: not set; {fix}")
    value = key.get_secret_value().strip()
    if value.lower() in PLACEHOLDER_SECRET_KEYS:
        raise SecretKeyError(f"{SECRET_KEY_VARIABLE}: a well-known placeholder value; {fix}")
    if len(value) < MIN_SECRET_KEY_LENGTH:
        raise SecretKeyError(
            f"{SECRET_KEY_VARIABLE}: too short (at least {MIN_SECRET_KEY_LENGTH} characters); {fix}"
        )


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> ServerSettings:
    """Read the server's settings from `environ` (default: the process environment).

    `overrides` are command-line options (`host=`, `port=`, `database_url=`, `workers=`,
    `dev=`); a None value means "not given".
    """
    defaults = {"data_dir": user_data_dir(environ)}
    settings = read_settings(
        ServerSettings,
        environ,
        overrides,
        defaults=defaults,
        secret_fields=("secret_key", "database_url"),
    )
    if not settings.dev:
        check_secret_key(settings.secret_key)
    return settings
