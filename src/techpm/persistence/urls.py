"""Database URLs techpm accepts: SQLite or PostgreSQL through psycopg 3. The one normaliser
used by the engines and by the settings, so a URL means the same wherever it is given.

A URL may hold a password, so what is shown of it (reprs, errors) has the password masked.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite")
POSTGRES_DRIVER = "postgresql+psycopg"
# Plain PostgreSQL spellings mean psycopg 3 here: SQLAlchemy would otherwise pick psycopg2.
POSTGRES_ALIASES = ("postgres", "postgresql", POSTGRES_DRIVER)
MASK = "***"


def normalise_database_url(url: str) -> str:
    """The URL to connect with; ValueError (never showing the password) if techpm cannot."""
    text = url.strip()
    scheme, sep, rest = text.partition("://")
    if not sep or (not rest and scheme.lower() not in SQLITE_SCHEMES):
        raise ValueError(
            f"expected sqlite:///PATH or postgresql+psycopg://USER@HOST/DATABASE, "
            f"got {redact_database_url(text)!r}"
        )
    kind = scheme.lower()
    if kind in SQLITE_SCHEMES:
        return text
    if kind in POSTGRES_ALIASES:
        return f"{POSTGRES_DRIVER}://{rest}"
    raise ValueError(
        f"unsupported database {scheme!r}; use sqlite:///PATH or postgresql+psycopg://..."
    )


def redact_database_url(url: str) -> str:
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return MASK
    if not password:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{host}"))


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (`sqlite:///PATH`); None for memory or another database."""
    scheme, _, rest = url.strip().partition("://")
    if scheme.lower() not in SQLITE_SCHEMES or not rest.startswith("/"):
        return None
    path = rest[1:].partition("?")[0]
    return Path(path) if path and path != ":memory:" else None
