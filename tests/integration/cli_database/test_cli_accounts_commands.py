"""`techpm user add|list` and `techpm token create` on a real SQLite file, as an admin runs
them on the server's machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.persistence.database import make_engine, session_factory
from techpm.persistence.rows import ApiTokenRow, UserRow
from techpm.services.accounts import check_token

runner = CliRunner()


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'team.db'}"
    assert runner.invoke(app, ["db", "upgrade", "--database", url]).exit_code == 0
    return url


def _run(url: str, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--database", url], input=stdin)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def _add(url: str, email: str, *extra: str, password: str = "correct horse") -> int:
    args = ["user", "add", email, "--name", "Ada Lovelace", "--password-stdin", *extra]
    return _run(url, *args, stdin=password + "\n")[0]


def test_a_user_added_with_a_password_on_stdin_is_listed(url: str) -> None:
    assert _add(url, "Ada@Example.com", "--admin") == 0
    assert _add(url, "bob@example.com") == 0
    code, out, _ = _run(url, "user", "list", "--format", "json")
    assert code == 0
    users = json.loads(out)["users"]
    assert [(u["email"], u["name"], u["is_admin"]) for u in users] == [
        ("ada@example.com", "Ada Lovelace", True),
        ("bob@example.com", "Ada Lovelace", False),
    ]
    code, out, _ = _run(url, "user", "list")
    assert code == 0
    assert out.splitlines()[1].split()[:4] == ["ada@example.com", "Ada", "Lovelace", "yes"]


def test_the_password_is_asked_twice_without_stdin(url: str) -> None:
    code, out, err = _run(
        url, "user", "add", "eve@example.com", "--name", "Eve", stdin="long enough\nlong enough\n"
    )
    assert code == 0, err
    assert "long enough" not in out  # hidden input is not echoed
    engine = make_engine(url)
    with session_factory(engine)() as session:
        row = session.scalars(select(UserRow)).one()
        assert row.password_hash.startswith("$argon2id$")
    engine.dispose()


def test_a_duplicate_email_is_user_exists(url: str) -> None:
    assert _add(url, "ada@example.com") == 0
    code, _, err = _run(
        url,
        "user",
        "add",
        "ADA@example.com",
        "--name",
        "X",
        "--password-stdin",
        stdin="another one\n",
    )
    assert code == 1
    assert "user.exists" in err


def test_a_weak_password_is_refused_with_exit_code_3(url: str) -> None:
    code, _, err = _run(
        url, "user", "add", "ada@example.com", "--name", "A", "--password-stdin", stdin="short\n"
    )
    assert code == 3
    assert "auth.weak_password" in err
    assert "short" not in err.replace("too short", "")  # the password itself is not shown


def test_a_token_is_printed_once_and_works(url: str) -> None:
    assert _add(url, "ada@example.com") == 0
    code, out, err = _run(
        url,
        "token",
        "create",
        "--user",
        "ada@example.com",
        "--name",
        "ci",
        "--scope",
        "read",
        "--expires-days",
        "30",
    )
    assert code == 0, err
    token = out.strip()
    assert token.startswith("tpm_")
    assert "not shown again" in err
    engine = make_engine(url)
    with session_factory(engine)() as session:
        row = session.scalars(select(ApiTokenRow)).one()
        assert token not in (row.token_hash, row.hint)
        # created now for 30 days: expires 30 days after it was created, to the second
        assert row.expires_at is not None
        assert (row.expires_at - row.created_at).days == 30
        grant = check_token(session, token)
        assert (grant.user.email, grant.scope) == ("ada@example.com", "read")
    engine.dispose()


def test_a_token_for_an_unknown_user_is_user_not_found(url: str) -> None:
    code, _, err = _run(url, "token", "create", "--user", "nobody@example.com", "--name", "ci")
    assert code == 4
    assert "user.not_found" in err


def test_a_bad_expiry_is_refused(url: str) -> None:
    assert _add(url, "ada@example.com") == 0
    code, _, err = _run(
        url, "token", "create", "--user", "ada@example.com", "--name", "ci", "--expires-days", "0"
    )
    assert code == 3
    assert "auth.bad_expiry" in err


def test_an_unmigrated_database_says_what_to_run(tmp_path: Path) -> None:
    code, _, err = _run(f"sqlite:///{tmp_path / 'new.db'}", "user", "list")
    assert code == 1
    assert "database.not_migrated" in err
    assert "techpm db upgrade" in err
