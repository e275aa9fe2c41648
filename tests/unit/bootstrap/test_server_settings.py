"""Server settings come from `TECHPM_*` variables; outside dev mode a real secret key is needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm.bootstrap.environment import SettingsError
from techpm.bootstrap.settings import SecretKeyError, load_settings

KEY = "k3y-" + "x" * 40  # 44 characters, above the 32 minimum
SECRET_LOOKING = "hunter2-Very-Secret-But-Short"


def test_defaults_put_an_sqlite_file_in_the_user_data_directory() -> None:
    settings = load_settings({"TECHPM_SECRET_KEY": KEY, "HOME": "/home/ada"})
    assert settings.data_dir == Path("/home/ada/.local/share/techpm")
    assert settings.database_url == "sqlite:////home/ada/.local/share/techpm/techpm.db"
    assert (settings.host, settings.port, settings.workers, settings.dev) == (
        "127.0.0.1",
        8000,
        1,
        False,
    )
    assert settings.secret == KEY


def test_xdg_data_home_and_data_dir_move_the_default_database() -> None:
    xdg = load_settings({"TECHPM_SECRET_KEY": KEY, "XDG_DATA_HOME": "/srv/data", "HOME": "/h"})
    assert xdg.database_url == "sqlite:////srv/data/techpm/techpm.db"
    relative = load_settings({"TECHPM_SECRET_KEY": KEY, "XDG_DATA_HOME": "rel", "HOME": "/h"})
    assert relative.data_dir == Path("/h/.local/share/techpm")  # XDG: relative paths are ignored
    own = load_settings({"TECHPM_SECRET_KEY": KEY, "TECHPM_DATA_DIR": "/var/lib/techpm"})
    assert own.database_url == "sqlite:////var/lib/techpm/techpm.db"


def test_environment_then_command_line_options_win() -> None:
    env = {
        "TECHPM_SECRET_KEY": KEY,
        "TECHPM_DATABASE_URL": "postgresql+psycopg://pm@db/techpm",
        "TECHPM_HOST": "0.0.0.0",
        "TECHPM_PORT": "9000",
        "TECHPM_WORKERS": "4",
        "TECHPM_DEV": "",  # empty counts as unset
    }
    settings = load_settings(env)
    assert settings.database_url == "postgresql+psycopg://pm@db/techpm"
    assert (settings.host, settings.port, settings.workers, settings.dev) == (
        "0.0.0.0",
        9000,
        4,
        False,
    )
    cli = load_settings(env, port=8080, host=None, database_url="sqlite:///x.db", workers=None)
    assert (cli.host, cli.port, cli.workers, cli.database_url) == (
        "0.0.0.0",
        8080,
        4,
        "sqlite:///x.db",
    )


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (None, "TECHPM_SECRET_KEY: not set"),
        ("changethis", "TECHPM_SECRET_KEY: a well-known placeholder value"),
        ("  Secret ", "TECHPM_SECRET_KEY: a well-known placeholder value"),
        (SECRET_LOOKING, "TECHPM_SECRET_KEY: too short (at least 32 characters)"),
        ("y" * 31, "TECHPM_SECRET_KEY: too short"),
    ],
)
def test_outside_dev_mode_a_weak_secret_key_is_refused(key: str | None, expected: str) -> None:
    env = {} if key is None else {"TECHPM_SECRET_KEY": key}
    with pytest.raises(SecretKeyError) as caught:
        load_settings(env)
    assert caught.value.code == "settings.secret_key"
    assert caught.value.message.startswith(expected)
    assert "--dev" in caught.value.message
    if key is not None:
        assert key.strip() not in caught.value.message
    assert load_settings({"TECHPM_SECRET_KEY": "y" * 32}).secret == "y" * 32  # 32 is enough


def test_dev_mode_runs_without_a_key_and_makes_one_per_process() -> None:
    first, second = load_settings({"TECHPM_DEV": "true"}), load_settings({}, dev=True)
    assert (first.dev, second.dev) == (True, True)
    assert len(first.secret) >= 32
    assert first.secret != second.secret
    assert load_settings({"TECHPM_DEV": "1", "TECHPM_SECRET_KEY": "dev"}).secret == "dev"


def test_no_secret_in_repr_or_errors() -> None:
    settings = load_settings({"TECHPM_SECRET_KEY": KEY})
    for text in (repr(settings), str(settings), str(settings.model_dump())):
        assert KEY not in text
    assert "SecretStr('**********')" in repr(settings)
    with pytest.raises(SettingsError) as caught:
        load_settings({"TECHPM_SECRET_KEY": SECRET_LOOKING, "TECHPM_PORT": "x"})
    assert SECRET_LOOKING not in str(caught.value)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TECHPM_PORT": "abc"}, "TECHPM_PORT: input should be a valid integer"),
        ({"TECHPM_PORT": "70000"}, "TECHPM_PORT: input should be less than or equal to 65535"),
        ({"TECHPM_WORKERS": "0"}, "TECHPM_WORKERS: input should be greater than or equal to 1"),
        ({"TECHPM_DEV": "maybe"}, "TECHPM_DEV: input should be a valid boolean"),
    ],
)
def test_bad_values_name_the_variable_and_the_value(env: dict[str, str], expected: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"TECHPM_SECRET_KEY": KEY} | env)
    assert caught.value.code == "settings.invalid"
    assert caught.value.message.startswith(expected)
    assert repr(next(iter(env.values()))) in caught.value.message
    assert ";" not in caught.value.message  # no follow-on errors for fields computed from it


def test_the_process_environment_is_read_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TECHPM_SECRET_KEY", KEY)
    monkeypatch.setenv("TECHPM_PORT", "8123")
    assert load_settings().port == 8123
    monkeypatch.setenv("TECHPM_PORT", "8124")
    assert load_settings().port == 8124


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////var/lib/techpm/techpm.db", "sqlite:////var/lib/techpm/techpm.db"),
        ("sqlite://", "sqlite://"),  # in memory
        ("postgresql+psycopg://pm@db/techpm", "postgresql+psycopg://pm@db/techpm"),
        # psycopg 3 is the driver techpm ships; SQLAlchemy alone would pick psycopg2.
        ("postgresql://pm@db/techpm", "postgresql+psycopg://pm@db/techpm"),
        ("postgres://pm@db:5432/techpm", "postgresql+psycopg://pm@db:5432/techpm"),
    ],
)
def test_database_urls_for_sqlite_and_postgresql(url: str, expected: str) -> None:
    assert load_settings({"TECHPM_DEV": "1", "TECHPM_DATABASE_URL": url}).database_url == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://pm:hunter2@db/x", "TECHPM_DATABASE_URL: unsupported database 'mysql'"),
        ("techpm.db", "TECHPM_DATABASE_URL: expected sqlite:///PATH or postgresql+psycopg://"),
        ("postgresql://", "TECHPM_DATABASE_URL: expected sqlite:///PATH"),
    ],
)
def test_unusable_database_urls_are_refused(url: str, expected: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"TECHPM_DEV": "1", "TECHPM_DATABASE_URL": url})
    assert caught.value.message.startswith(expected)
    assert "hunter2" not in caught.value.message


def test_the_database_password_is_masked_in_the_repr() -> None:
    url = "postgresql+psycopg://pm:hunter2@db:5432/techpm"
    settings = load_settings({"TECHPM_SECRET_KEY": KEY, "TECHPM_DATABASE_URL": url})
    assert settings.database_url == url  # what the engine connects with
    assert "database_url='postgresql+psycopg://pm:***@db:5432/techpm'" in repr(settings)
    assert "hunter2" not in str(settings)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=8))
def test_a_secret_key_never_shows_in_a_repr_or_an_error(key: str) -> None:
    """Whatever the key, the error and the repr are those of any other key: nothing of it shows."""
    with pytest.raises(SettingsError) as caught:
        load_settings({"TECHPM_SECRET_KEY": key, "TECHPM_PORT": "not-a-port"})
    assert caught.value.message == (
        "TECHPM_PORT: input should be a valid integer, unable to parse string as an integer, "
        "got 'not-a-port'"
    )
    other = load_settings({"TECHPM_SECRET_KEY": "another key", "TECHPM_DEV": "1"})
    assert repr(load_settings({"TECHPM_SECRET_KEY": key, "TECHPM_DEV": "1"})) == repr(other)
