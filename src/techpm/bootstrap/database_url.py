"""Which database a command works on: `--database`, else `TECHPM_DATABASE_URL`, else the
SQLite file in the user's data directory (whose folder is created on first use).

The URL rules themselves live in `techpm.persistence.urls`, shared with the engines.
"""

from __future__ import annotations

from collections.abc import Mapping

from techpm.bootstrap.environment import read_settings
from techpm.bootstrap.paths import user_data_dir
from techpm.bootstrap.settings import ServerSettings
from techpm.persistence.database import DatabaseUrlError
from techpm.persistence.urls import normalise_database_url, redact_database_url, sqlite_file

__all__ = ["normalise_database_url", "redact_database_url", "resolve_database_url"]


def resolve_database_url(option: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The normalised URL to connect with. A bad `--database` raises `database.bad_url`; a bad
    `TECHPM_DATABASE_URL` raises `settings.invalid` naming the variable. Unlike
    `load_settings`, no secret key is needed: migrating and managing accounts sign nothing."""
    if option is not None:
        try:
            url = normalise_database_url(option)
        except ValueError as exc:
            raise DatabaseUrlError(f"--database: {exc}") from None
    else:
        settings = read_settings(
            ServerSettings,
            environ,
            {},
            defaults={"data_dir": user_data_dir(environ)},
            secret_fields=("secret_key", "database_url"),
        )
        url = settings.database_url
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    return url
