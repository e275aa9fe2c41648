"""Where the CLI keeps the tokens `techpm login` got: one JSON file `{server URL: token}` in the
user's config directory, readable by its owner only (a token is as good as a password).

`$TECHPM_CONFIG_DIR` names the directory; otherwise the XDG rule (`~/.config/techpm`)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from techpm.bootstrap.paths import APP_NAME
from techpm.domain.errors import TechpmError

CREDENTIALS_FILE = "credentials.json"
CONFIG_DIR_VARIABLE = "TECHPM_CONFIG_DIR"
FILE_MODE = 0o600
DIR_MODE = 0o700


class CredentialsError(TechpmError):
    code = "credentials.unreadable"


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    chosen = env.get(CONFIG_DIR_VARIABLE, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    base = env.get("XDG_CONFIG_HOME", "").strip()
    if not base or not Path(base).is_absolute():  # the XDG spec says to ignore relative paths
        home = env.get("HOME") or str(Path.home())
        base = str(Path(home) / ".config")
    return Path(base) / APP_NAME


def credentials_path(environ: Mapping[str, str] | None = None) -> Path:
    return config_dir(environ) / CREDENTIALS_FILE


def server_key(url: str) -> str:
    """One spelling per server: `http://host:8000/` and `http://host:8000` are the same."""
    return url.strip().rstrip("/")


def load_credentials(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every stored `{url: token}`; empty when nobody has logged in yet."""
    path = credentials_path(environ)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise CredentialsError(f"{path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CredentialsError(
            f"{path}: not JSON ({exc.msg}); delete it and log in again"
        ) from None
    if not isinstance(data, dict):
        raise CredentialsError(f"{path}: not a JSON object; delete it and log in again")
    return {str(url): str(token) for url, token in data.items() if isinstance(token, str)}


def token_for(url: str, environ: Mapping[str, str] | None = None) -> str | None:
    return load_credentials(environ).get(server_key(url))


def save_token(url: str, token: str, environ: Mapping[str, str] | None = None) -> Path:
    """Store `token` for `url`, replacing the file in one step; mode 0600 in a 0700 folder,
    so no other user of the machine can read it, even for an instant."""
    stored = load_credentials(environ)
    stored[server_key(url)] = token
    path = credentials_path(environ)
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path.parent, DIR_MODE)
    text = json.dumps(stored, indent=2, sort_keys=True) + "\n"
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".credentials-", suffix=".tmp")
    try:  # mkstemp creates the file 0600 already
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, FILE_MODE)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise CredentialsError(f"{path}: not written ({exc.strerror or exc})") from None
    return path


def only_server(environ: Mapping[str, str] | None = None) -> str | None:
    """The server to use when none is named: the one logged in to, if there is just one."""
    stored = load_credentials(environ)
    return next(iter(stored)) if len(stored) == 1 else None
