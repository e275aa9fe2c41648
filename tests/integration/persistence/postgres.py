"""Finding the PostgreSQL server the integration tests run on, and what to do without one:
skip with the reason, except under CI=true, where its absence is a failure."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from techpm.persistence.database import make_engine

# TECHPM_TEST_POSTGRES_URL names the server; else the local one, as postgres or as root
URLS = (
    (os.environ["TECHPM_TEST_POSTGRES_URL"],)
    if os.environ.get("TECHPM_TEST_POSTGRES_URL")
    else (
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
        "postgresql+psycopg://root@127.0.0.1:5432/test",
    )
)


def reachable(urls: Sequence[str] = URLS) -> tuple[str | None, str]:
    """The first URL that answers, else None and why none did."""
    reasons = []
    for url in urls:
        engine = make_engine(url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as connection:
                connection.execute(text("select 1"))
            return url, ""
        except OperationalError as exc:
            first = (str(exc.orig).strip().splitlines() or ["no answer"])[0]
            reasons.append(f"{url}: {first}")
        finally:
            engine.dispose()
    return None, "; ".join(reasons)


def required(url: str | None, reason: str, *, ci: bool) -> str:
    """The URL to test on, or a skip (a failure under CI) naming why there is none."""
    if url is None:
        message = f"PostgreSQL is not reachable ({reason})"
        if ci:
            pytest.fail(message + "; under CI=true the PostgreSQL run is mandatory")
        pytest.skip(message)
    return url
