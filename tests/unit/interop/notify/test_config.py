"""Loading notification settings: file plus environment, precise errors, no leaked secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from techpm.bootstrap.notify_settings import load_notify_config
from techpm.domain.errors import TechpmError
from techpm.interop.notify.config import (
    NotifyConfig,
    NotifyConfigError,
    SmtpConfig,
    WebhookConfig,
    load_config,
)

PASSWORD = "hunter2-very-secret"
TOKEN = "T000/B000/XXXXsecretXXXX"
FILE = """\
[smtp]
host = "mail.example.com"
port = 587
username = "alice"
password_env = "MAIL_PASSWORD"
from = "pm@example.com"
to = ["sponsor@example.com"]
timeout = 5

[[webhooks]]
url_env = "SLACK_HOOK"
name = "team"

[[webhooks]]
url = "https://example.webhook.office.com/webhookb2/abc"
format = "teams"

[delivery]
retries = 0
backoff = 2.5
"""
ENV = {"MAIL_PASSWORD": PASSWORD, "SLACK_HOOK": f"https://hooks.slack.com/services/{TOKEN}"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "notify.toml"
    path.write_text(text)
    return path


def error(path: Path | None, env: dict[str, str] | None = None) -> str:
    with pytest.raises(NotifyConfigError) as caught:
        load_notify_config(path, env or {})
    assert isinstance(caught.value, TechpmError)
    assert caught.value.code == "notify.config"
    return caught.value.message


def test_file_with_secrets_from_the_environment(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FILE), ENV)
    assert config.smtp == SmtpConfig(
        "mail.example.com",
        587,
        username="alice",
        password=PASSWORD,
        sender="pm@example.com",
        recipients=("sponsor@example.com",),
        timeout=5.0,
    )
    assert config.webhooks == (
        WebhookConfig(ENV["SLACK_HOOK"], "slack", "team"),
        WebhookConfig("https://example.webhook.office.com/webhookb2/abc", "teams"),
    )
    assert (config.retries, config.backoff) == (0, 2.5)


def test_environment_overrides_and_completes_the_file(tmp_path: Path) -> None:
    env = ENV | {
        "TECHPM_SMTP_HOST": "relay.example.org",
        "TECHPM_SMTP_PORT": "2525",
        "TECHPM_SMTP_STARTTLS": "no",
        "TECHPM_SMTP_PASSWORD": "from-env",
        "TECHPM_MAIL_TO": " a@example.com, ,b@example.com ",
        "TECHPM_WEBHOOK_URL": "https://hooks.slack.com/services/ENV/TOKEN",
        "TECHPM_WEBHOOK_FORMAT": "teams",
        "TECHPM_SMTP_FROM": "",
    }
    config = load_notify_config(write(tmp_path, FILE), env)
    assert config.smtp is not None
    assert (config.smtp.host, config.smtp.port, config.smtp.starttls) == (
        "relay.example.org",
        2525,
        False,
    )
    assert config.smtp.password == "from-env"
    assert config.smtp.sender == "pm@example.com"
    assert config.smtp.recipients == ("a@example.com", "b@example.com")
    assert config.webhooks[-1] == WebhookConfig(env["TECHPM_WEBHOOK_URL"], "teams")


def test_environment_alone_and_nothing_at_all() -> None:
    config = load_notify_config(
        None,
        {"TECHPM_SMTP_HOST": "mail.example.com", "TECHPM_SMTP_FROM": "pm@example.com"},
    )
    assert config.smtp == SmtpConfig("mail.example.com", sender="pm@example.com")
    assert load_config(None, {"PATH": "/usr/bin"}) == NotifyConfig(smtp=None, webhooks=())


def test_implicit_tls_defaults_to_port_465_and_no_starttls(tmp_path: Path) -> None:
    ca = tmp_path / "certs" / "ca.pem"
    ca.parent.mkdir()
    ca.write_text("not checked here")
    text = '[smtp]\nhost = "h"\nfrom = "a@b"\nssl = true\nca_file = "certs/ca.pem"\n'
    smtp = load_config(write(tmp_path, text), {}).smtp
    assert smtp is not None
    assert (smtp.port, smtp.ssl, smtp.starttls, smtp.ca_file) == (465, True, False, ca)
    assert smtp.describe() == "smtp h:465 (TLS)"
    env = {"TECHPM_SMTP_HOST": "h", "TECHPM_SMTP_FROM": "a@b", "TECHPM_SMTP_PORT": "465"}
    assert load_notify_config(None, env).smtp == SmtpConfig("h", 465, False, True, sender="a@b")


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ('[smtp]\nhost = "h"\nport = "abc"\n', {}, "smtp.port: expected an integer, got 'abc'"),
        ('[smtp]\nhost = "h"\npasword = "x"\n', {}, "smtp.pasword: unknown key (did you mean"),
        ('[smpt]\nhost = "h"\n', {}, "notify.toml: smpt: unknown key (did you mean 'smtp'?)"),
        ("[delivery]\nretries = -1\n", {}, "delivery.retries: expected at least 0, got -1"),
        ('[smtp]\nhost = "h"\n', {}, "smtp.from: missing"),
        ('[smtp]\nfrom = "a@b"\npassword_env = "NOPE"\n', {}, "variable 'NOPE' is not set"),
        ('[smtp]\nhost = "h"\nfrom = "a@b"\nca_file = "x.pem"\n', {}, "smtp.ca_file: no such"),
        ('[smtp]\nhost = "h"\nfrom = "a@b"\nssl = true\nstarttls = true\n', {}, "exclude"),
        ('[webhooks]\nurl = "https://x"\n', {}, "webhooks: expected [[webhooks]] entries"),
        ('[[webhooks]]\nname = "a"\n', {}, "webhooks[0].url: give exactly one of url or url_env"),
        ('[[webhooks]]\nurl="https://h/x"\nformat="discord"\n', {}, "webhooks[0].format: expected"),
        ("", {"TECHPM_SMTP_PORT": "abc"}, "TECHPM_SMTP_PORT: expected a port number, got 'abc'"),
        ("", {"TECHPM_SMTP_STARTTLS": "maybe"}, "TECHPM_SMTP_STARTTLS: expected one of"),
        ("", {"TECHPM_WEBHOOK_FORMAT": "teams"}, "TECHPM_WEBHOOK_URL is not"),
        ("", {"TECHPM_MAIL_TO": "a@b"}, "smtp.host: missing"),
    ],
)
def test_errors_name_the_file_and_the_field(
    tmp_path: Path, text: str, env: dict[str, str], expected: str
) -> None:
    path = write(tmp_path, text)
    message = error(path, env)
    assert expected in message
    if not any(key.startswith("TECHPM_") for key in env):
        assert message.startswith(f"{path}: ")


def test_syntax_errors_give_line_and_column(tmp_path: Path) -> None:
    message = error(write(tmp_path, '[smtp]\nhost = "h"\nport = = 25\n'))
    assert message.startswith(f"{tmp_path / 'notify.toml'}: invalid TOML: ")
    assert "line 3, column" in message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    assert error(tmp_path / "gone.toml") == f"{tmp_path / 'gone.toml'}: no such file"


@pytest.mark.parametrize(
    "text",
    [
        f'[smtp]\nhost = "h"\nfrom = "a@b"\npassword = ["{PASSWORD}"]\n',
        f'[[webhooks]]\nurl = "ftp://files.example.com/{TOKEN}"\n',
        f'[[webhooks]]\nurl = ["https://hooks.slack.com/services/{TOKEN}"]\n',
        f'[[webhooks]]\nurl = "https://hooks.slack.com/services/{TOKEN}"\nfromat = "teams"\n',
    ],
)
def test_errors_never_show_a_secret(tmp_path: Path, text: str) -> None:
    message = error(write(tmp_path, text))
    assert PASSWORD not in message
    assert "secret" not in message


def test_repr_str_and_describe_hide_secrets(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FILE), ENV)
    assert config.smtp is not None
    texts = [repr(config), str(config), config.describe(), config.smtp.describe()]
    texts += [repr(hook) for hook in config.webhooks] + [str(config.smtp)]
    for text in texts:
        assert PASSWORD not in text
        assert "secret" not in text
        assert "webhookb2" not in text
    assert "password='***'" in repr(config.smtp)
    assert "url='https://hooks.slack.com/***'" in repr(config.webhooks[0])
    assert config.smtp.describe() == "smtp alice@mail.example.com:587 (STARTTLS)"
    assert config.webhooks[0].describe() == "webhook team slack https://hooks.slack.com/***"
    assert WebhookConfig(ENV["SLACK_HOOK"]).describe() == (
        "webhook slack https://hooks.slack.com/***"
    )
    assert "password=None" in repr(SmtpConfig("h", sender="a@b"))


def test_the_environment_password_makes_password_env_optional(tmp_path: Path) -> None:
    env = {"TECHPM_SMTP_PASSWORD": PASSWORD, "SLACK_HOOK": ENV["SLACK_HOOK"]}
    smtp = load_notify_config(write(tmp_path, FILE), env).smtp
    assert smtp is not None
    assert smtp.password == PASSWORD
