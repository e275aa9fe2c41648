"""Where notifications go: a TOML file that can live in Git, completed by `NotifyOverrides`.

This module never reads the environment: the front end reads the `TECHPM_*` settings and
passes them as overrides, with a mapping in which the file's `password_env` and `url_env`
variables are looked up. Secrets (SMTP password, webhook URLs, which embed tokens) never
appear in a repr, a `describe()` line or an error message.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import KW_ONLY, dataclass, fields
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from techpm.domain.errors import TechpmError

WebhookFormat = Literal["slack", "teams"]
WEBHOOK_FORMATS: tuple[WebhookFormat, ...] = get_args(WebhookFormat)
HIDDEN = "***"
MAX_PORT = 65535
IMPLICIT_TLS_PORT = 465


class NotifyConfigError(TechpmError):
    code = "notify.config"


def redact_url(url: str) -> str:
    """Keep what tells a human which service it is (scheme and host), hide the token path."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return HIDDEN
    host = parts.hostname or "?"
    try:
        port = parts.port
    except ValueError:
        port = None
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    return f"{parts.scheme or '?'}://{netloc}/{HIDDEN}"


def _safe_repr(obj: Any, **shown: str) -> str:
    items = (f"{f.name}={shown.get(f.name, repr(getattr(obj, f.name)))}" for f in fields(obj))
    return f"{type(obj).__name__}({', '.join(items)})"


@dataclass(frozen=True, repr=False)
class SmtpConfig:
    """`ssl` is implicit TLS (port 465 style) and wins over `starttls` if both are set."""

    host: str
    port: int = 587
    starttls: bool = True
    ssl: bool = False
    username: str | None = None
    password: str | None = None
    _: KW_ONLY
    sender: str
    recipients: tuple[str, ...] = ()
    timeout: float = 10.0
    ca_file: Path | None = None
    verify: bool = True

    @property
    def security(self) -> str:
        mode = "TLS" if self.ssl else "STARTTLS" if self.starttls else "no TLS"
        return mode if self.verify else f"{mode}, unverified"

    def describe(self) -> str:
        who = f"{self.username}@" if self.username else ""
        return f"smtp {who}{self.host}:{self.port} ({self.security})"

    def __repr__(self) -> str:
        return _safe_repr(self, password=repr(HIDDEN) if self.password else "None")


@dataclass(frozen=True, repr=False)
class WebhookConfig:
    url: str
    format: WebhookFormat = "slack"
    name: str = "webhook"

    def describe(self) -> str:
        label = "webhook" if self.name == "webhook" else f"webhook {self.name}"
        return f"{label} {self.format} {redact_url(self.url)}"

    def __repr__(self) -> str:
        return _safe_repr(self, url=repr(redact_url(self.url)))


@dataclass(frozen=True)
class NotifyConfig:
    """`retries` are attempts after the first; waits start at `backoff` seconds and double."""

    smtp: SmtpConfig | None = None
    webhooks: tuple[WebhookConfig, ...] = ()
    retries: int = 3
    backoff: float = 1.0

    def describe(self) -> str:
        channels = ([self.smtp.describe()] if self.smtp else []) + [
            hook.describe() for hook in self.webhooks
        ]
        return "; ".join(channels) if channels else "no channels"


@dataclass(frozen=True, repr=False)
class NotifyOverrides:
    """Settings given outside the file (the `TECHPM_SMTP_*`, `TECHPM_MAIL_TO` and
    `TECHPM_WEBHOOK_*` variables); None means not given, and a given value wins over the file."""

    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_starttls: bool | None = None
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_sender: str | None = None
    recipients: tuple[str, ...] | None = None
    webhook_url: str | None = None
    webhook_format: str | None = None

    def __repr__(self) -> str:
        return _safe_repr(
            self,
            smtp_password=repr(HIDDEN) if self.smtp_password else "None",
            webhook_url=repr(redact_url(self.webhook_url)) if self.webhook_url else "None",
        )


SMTP_KEYS = (
    "host",
    "port",
    "starttls",
    "ssl",
    "username",
    "password",
    "password_env",
    "from",
    "to",
    "timeout",
    "ca_file",
    "verify",
)
WEBHOOK_KEYS = ("url", "url_env", "format", "name")
DELIVERY_KEYS = ("retries", "backoff")
TOP_KEYS = ("smtp", "webhooks", "delivery")


def _got(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _check_keys(where: str, data: Mapping[str, Any], allowed: Collection[str]) -> None:
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            expected = ", ".join(allowed)
            raise NotifyConfigError(f"{where}{key}: unknown key{hint}; expected one of: {expected}")


class _Table:
    """Typed reads from one TOML table; errors say file and dotted field, never secrets."""

    def __init__(
        self, file: str, name: str, data: object, allowed: Collection[str], secret: str = ""
    ) -> None:
        self.file, self.name, self.secret = file, name, secret
        if not isinstance(data, dict):
            raise NotifyConfigError(f"{file}: {name}: expected a table, got {_got(data)}")
        self.data: dict[str, Any] = data
        _check_keys(f"{file}: {name}.", data, allowed)

    def fail(self, key: str, what: str) -> NotifyConfigError:
        return NotifyConfigError(f"{self.file}: {self.name}.{key}: {what}")

    def _typed(self, key: str, kind: tuple[type, ...], expected: str) -> Any:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, kind) or isinstance(value, bool) != (bool in kind):
            got = "" if key == self.secret else f", got {_got(value)}"
            raise self.fail(key, f"expected {expected}{got}")
        return value

    def string(self, key: str) -> str | None:
        value: str | None = self._typed(key, (str,), "a string")
        return value

    def boolean(self, key: str) -> bool | None:
        value: bool | None = self._typed(key, (bool,), "true or false")
        return value

    def integer(self, key: str, minimum: int, maximum: int | None = None) -> int | None:
        value: int | None = self._typed(key, (int,), "an integer")
        if value is not None and value < minimum:
            raise self.fail(key, f"expected at least {minimum}, got {value}")
        if value is not None and maximum is not None and value > maximum:
            raise self.fail(key, f"expected at most {maximum}, got {value}")
        return value

    def number(self, key: str, *, positive: bool) -> float | None:
        value: int | float | None = self._typed(key, (int, float), "a number")
        if value is not None and (value < 0 or (positive and value == 0)):
            kind = "positive" if positive else "non-negative"
            raise self.fail(key, f"expected a {kind} number, got {value:g}")
        return None if value is None else float(value)

    def strings(self, key: str) -> tuple[str, ...] | None:
        value = self.data.get(key)
        if isinstance(value, str):
            return (value,)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, str) for v in value)
        ):
            raise self.fail(key, f"expected a list of strings, got {_got(value)}")
        return None if value is None else tuple(value)


def _secret_from_env(where: str, variable: str | None, secrets: Mapping[str, str]) -> str | None:
    """An empty variable counts as unset, as CI systems often define them empty."""
    if variable is None:
        return None
    value = secrets.get(variable)
    if not value:
        raise NotifyConfigError(f"{where}: environment variable {variable!r} is not set")
    return value


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError:
        raise NotifyConfigError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise NotifyConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise NotifyConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise NotifyConfigError(f"{path}: cannot read ({exc.strerror})") from None


def _smtp_from_file(
    file: str, base: Path, data: object, secrets: Mapping[str, str], password_given: bool
) -> dict[str, Any]:
    table = _Table(file, "smtp", data, SMTP_KEYS, secret="password")
    password, password_env = table.string("password"), table.string("password_env")
    if password is not None and password_env is not None:
        raise table.fail("password_env", "give password or password_env, not both")
    ca_file = table.string("ca_file")
    ca_path = None if ca_file is None else base / Path(ca_file).expanduser()
    if ca_path is not None and not ca_path.is_file():
        raise table.fail("ca_file", f"no such file {str(ca_path)!r}")
    settings = {
        "host": table.string("host"),
        "port": table.integer("port", 1, MAX_PORT),
        "starttls": table.boolean("starttls"),
        "ssl": table.boolean("ssl"),
        "username": table.string("username"),
        "password": password
        or (
            None  # the overriding password wins, so the named variable may be absent
            if password_given
            else _secret_from_env(f"{file}: smtp.password_env", password_env, secrets)
        ),
        "sender": table.string("from"),
        "recipients": table.strings("to"),
        "timeout": table.number("timeout", positive=True),
        "ca_file": ca_path,
        "verify": table.boolean("verify"),
    }
    return settings


def _smtp_overrides(overrides: NotifyOverrides) -> dict[str, Any]:
    return {
        "host": overrides.smtp_host,
        "port": overrides.smtp_port,
        "starttls": overrides.smtp_starttls,
        "username": overrides.smtp_username,
        "password": overrides.smtp_password,
        "sender": overrides.smtp_sender,
        "recipients": overrides.recipients,
    }


def _build_smtp(settings: dict[str, Any], where: str) -> SmtpConfig | None:
    given = {key: value for key, value in settings.items() if value is not None}
    if not given:
        return None
    for key, field_, variable in (("host", "host", "HOST"), ("sender", "from", "FROM")):
        if key not in given:
            raise NotifyConfigError(
                f"{where}smtp.{field_}: missing (set it in [smtp] or TECHPM_SMTP_{variable})"
            )
    if given.get("port") == IMPLICIT_TLS_PORT and "ssl" not in given and "starttls" not in given:
        given["ssl"] = True  # 465 speaks TLS from the first byte; STARTTLS there would hang
    if given.get("ssl"):
        if given.get("starttls"):
            raise NotifyConfigError(
                f"{where}smtp.ssl: ssl (implicit TLS) and starttls exclude each other"
            )
        given["starttls"] = False
        given.setdefault("port", IMPLICIT_TLS_PORT)
    return SmtpConfig(**given)


def _webhook(labels: tuple[str, str], url: str, fmt: str | None, name: str | None) -> WebhookConfig:
    """`labels` name where the URL and the format came from, for error messages."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NotifyConfigError(f"{labels[0]}: expected an http(s) URL (value not shown)")
    if fmt is not None and fmt not in WEBHOOK_FORMATS:
        raise NotifyConfigError(f"{labels[1]}: expected 'slack' or 'teams', got {fmt!r}")
    fmt_: WebhookFormat = "teams" if fmt == "teams" else "slack"
    return WebhookConfig(url=url, format=fmt_, name=name or "webhook")


def _webhooks_from_file(file: str, data: object, secrets: Mapping[str, str]) -> list[WebhookConfig]:
    if isinstance(data, dict):
        raise NotifyConfigError(
            f"{file}: webhooks: expected [[webhooks]] entries (an array of tables), got a table"
        )
    if not isinstance(data, list):
        raise NotifyConfigError(f"{file}: webhooks: expected [[webhooks]] entries")
    hooks = []
    for n, entry in enumerate(data):
        table = _Table(file, f"webhooks[{n}]", entry, WEBHOOK_KEYS, secret="url")
        url, url_env = table.string("url"), table.string("url_env")
        if (url is None) == (url_env is None):
            raise table.fail("url", "give exactly one of url or url_env")
        where = f"{file}: webhooks[{n}]"
        url_label = f"{where}.url" + ("_env" if url_env else "")
        if url is None:
            url = _secret_from_env(url_label, url_env, secrets) or ""
        hooks.append(
            _webhook(
                (url_label, f"{where}.format"), url, table.string("format"), table.string("name")
            )
        )
    return hooks


def load_config(
    path: Path | None,
    secrets: Mapping[str, str],
    overrides: NotifyOverrides | None = None,
) -> NotifyConfig:
    """Read `path` (if given) and let `overrides` override or complete it.

    The file's `password_env` and `url_env` name variables looked up in `secrets`. Relative
    `ca_file` paths are taken from the config file's folder.
    """
    given = overrides or NotifyOverrides()
    data: dict[str, Any] = {} if path is None else _read_file(path)
    file = str(path)
    _check_keys(f"{file}: ", data, TOP_KEYS)
    base = Path() if path is None else path.parent
    smtp: dict[str, Any] = {}
    if "smtp" in data:
        smtp = _smtp_from_file(file, base, data["smtp"], secrets, bool(given.smtp_password))
    for key, value in _smtp_overrides(given).items():
        if value is not None:
            smtp[key] = value
    webhooks = (
        [] if "webhooks" not in data else _webhooks_from_file(file, data["webhooks"], secrets)
    )
    url, fmt = given.webhook_url, given.webhook_format
    if url is not None:
        labels = ("TECHPM_WEBHOOK_URL", "TECHPM_WEBHOOK_FORMAT")
        webhooks.append(_webhook(labels, url, fmt, None))
    elif fmt is not None:
        raise NotifyConfigError("TECHPM_WEBHOOK_FORMAT: set, but TECHPM_WEBHOOK_URL is not")
    retries, backoff = 3, 1.0
    if "delivery" in data:
        table = _Table(file, "delivery", data["delivery"], DELIVERY_KEYS)
        retries_, backoff_ = table.integer("retries", 0), table.number("backoff", positive=False)
        retries = retries if retries_ is None else retries_
        backoff = backoff if backoff_ is None else backoff_
    return NotifyConfig(
        smtp=_build_smtp(smtp, "" if path is None else f"{file}: "),
        webhooks=tuple(webhooks),
        retries=retries,
        backoff=backoff,
    )
