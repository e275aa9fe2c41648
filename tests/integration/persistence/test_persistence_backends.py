"""Without a PostgreSQL server the PostgreSQL run is skipped with its reason; under CI=true
it fails instead, so a CI run can never pass on SQLite alone."""

from __future__ import annotations

import pytest

from tests.integration.persistence.postgres import reachable, required

NOWHERE = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # port 1: nothing listens


def test_an_unreachable_server_is_reported_with_its_url() -> None:
    url, reason = reachable([NOWHERE])
    assert url is None
    assert NOWHERE in reason


def test_without_a_server_the_run_is_skipped_with_the_reason() -> None:
    with pytest.raises(pytest.skip.Exception, match=r"not reachable.*port 1"):
        required(None, "port 1 refused", ci=False)


def test_under_ci_a_missing_server_fails_the_run() -> None:
    with pytest.raises(pytest.fail.Exception, match="mandatory"):
        required(None, "port 1 refused", ci=True)


def test_a_reachable_server_is_used() -> None:
    assert required(NOWHERE, "", ci=True) == NOWHERE
