"""`techpm db upgrade` and `techpm db current` on a real SQLite file, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.persistence.database import make_engine
from techpm.persistence.migrate import head_revision

runner = CliRunner()


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_upgrade_then_current_prints_the_head_revision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'team.db'}"
    code, _, _ = _run("db", "current", "--database", url)
    assert code == 0  # an empty database is at no revision, which is not an error
    code, out, _ = _run("db", "upgrade", "--database", url)
    assert code == 0, out
    code, out, _ = _run("db", "current", "--database", url)
    assert code == 0
    head = head_revision()
    assert head is not None
    assert out.strip().splitlines()[0].startswith(head)
    engine = make_engine(url)
    try:
        assert "projects" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_upgrade_twice_is_harmless(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'team.db'}"
    assert _run("db", "upgrade", "--database", url)[0] == 0
    assert _run("db", "upgrade", "--database", url)[0] == 0


def test_an_empty_database_says_it_has_no_revision(tmp_path: Path) -> None:
    code, out, _ = _run("db", "current", "--database", f"sqlite:///{tmp_path / 'new.db'}")
    assert code == 0
    assert "none" in out.lower()


def test_the_url_comes_from_the_environment_by_default(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    env = {"TECHPM_DATABASE_URL": url}
    assert _run("db", "upgrade", env=env)[0] == 0
    assert (tmp_path / "env.db").exists()


def test_the_default_is_a_file_in_the_data_directory_which_is_created(tmp_path: Path) -> None:
    data = tmp_path / "xdg"
    # an empty variable counts as unset, so a developer's own setting does not leak in
    env = {"XDG_DATA_HOME": str(data), "TECHPM_DATABASE_URL": "", "TECHPM_DATA_DIR": ""}
    code, _out, err = _run("db", "upgrade", env=env)
    assert code == 0, err
    assert (data / "techpm" / "techpm.db").exists()


def test_the_database_option_wins_over_the_environment(tmp_path: Path) -> None:
    env = {"TECHPM_DATABASE_URL": f"sqlite:///{tmp_path / 'env.db'}"}
    url = f"sqlite:///{tmp_path / 'option.db'}"
    assert _run("db", "upgrade", "--database", url, env=env)[0] == 0
    assert (tmp_path / "option.db").exists()
    assert not (tmp_path / "env.db").exists()


def test_a_sqlite_file_in_a_new_folder_gets_its_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a' / 'b' / 'team.db'}"
    assert _run("db", "upgrade", "--database", url)[0] == 0
    assert (tmp_path / "a" / "b" / "team.db").exists()


def test_a_bad_url_is_a_clear_error_with_exit_code_3(tmp_path: Path) -> None:
    for url in ("mysql://x@y/z", "not a url"):
        code, out, err = _run("db", "upgrade", "--database", url)
        assert code == 3, (url, out, err)
        assert "database.bad_url" in err
        assert "Traceback" not in out + err


def test_a_bad_url_in_the_environment_names_the_variable() -> None:
    code, out, err = _run("db", "current", env={"TECHPM_DATABASE_URL": "mysql://x@y/z"})
    assert code == 3
    assert "TECHPM_DATABASE_URL" in err
    assert "Traceback" not in out + err


def test_a_password_in_a_bad_url_is_not_shown() -> None:
    code, _, err = _run("db", "current", "--database", "mysql://me:hunter2@host/db")
    assert code == 3
    assert "hunter2" not in err


def test_an_unreachable_server_is_a_clear_error() -> None:
    url = "postgresql+psycopg://nobody:pw@127.0.0.1:1/none?connect_timeout=2"
    code, out, err = _run("db", "current", "--database", url)
    assert code == 7  # unavailable: trying again may work
    assert "database.unavailable" in err
    assert "pw@" not in err
    assert "Traceback" not in out + err


def test_listing_the_database_commands_loads_no_database_library() -> None:
    """`techpm --help` builds every group; the database ones must not cost SQLAlchemy's,
    Alembic's and argon2's import time (about 0.45 s measured) just to be listed."""
    probe = (
        "import sys, json, techpm.cli.database, techpm.cli.accounts\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    loaded = set(json.loads(out.strip().splitlines()[-1]))
    assert loaded.isdisjoint({"sqlalchemy", "alembic", "argon2", "pydantic_settings"}), loaded
