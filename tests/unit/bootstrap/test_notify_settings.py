"""Notification settings are read via pydantic-settings in bootstrap; lower layers get values."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import techpm
from techpm.bootstrap.notify_settings import (
    load_notify_config,
    load_notify_settings,
    notification_config,
)
from techpm.interop.notify.config import (
    NotifyConfigError,
    NotifyOverrides,
    SmtpConfig,
    WebhookConfig,
    load_config,
)

PASSWORD = "  pa ss-with-spaces  "  # kept as given: spaces may belong to a password
HOOK = "https://hooks.slack.com/services/T0/B0/XXXXsecretXXXX"
SRC = Path(techpm.__file__).parent
BELOW_BOOTSTRAP = ("services", "interop", "reporting", "persistence", "domain", "scheduling")
BELOW_BOOTSTRAP += ("forecasting", "evm", "flow")


def test_the_process_environment_reaches_the_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TECHPM_SMTP_HOST", " mail.example.com ")
    monkeypatch.setenv("TECHPM_SMTP_FROM", "pm@example.com")
    monkeypatch.setenv("TECHPM_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("TECHPM_MAIL_TO", "a@example.com,b@example.com")
    monkeypatch.setenv("TECHPM_WEBHOOK_URL", HOOK)
    config = notification_config(None)
    assert config.smtp == SmtpConfig(
        "mail.example.com",
        password=PASSWORD,
        sender="pm@example.com",
        recipients=("a@example.com", "b@example.com"),
    )
    assert config.webhooks == (WebhookConfig(HOOK),)


def test_the_adapter_reads_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TECHPM_SMTP_HOST", "mail.example.com")
    monkeypatch.setenv("TECHPM_WEBHOOK_URL", HOOK)
    empty = load_config(None, {})
    assert (empty.smtp, empty.webhooks) == (None, ())
    given = load_config(None, {}, NotifyOverrides(smtp_host="h", smtp_sender="a@b"))
    assert given.smtp == SmtpConfig("h", sender="a@b")


def test_no_layer_below_bootstrap_reads_the_environment() -> None:
    readers = re.compile(r"os\.environ|getenv\(|pydantic_settings")
    found = [
        str(path.relative_to(SRC))
        for layer in BELOW_BOOTSTRAP
        for path in sorted((SRC / layer).rglob("*.py"))
        if readers.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_nothing_to_send_with_unless_a_dry_run() -> None:
    with pytest.raises(NotifyConfigError, match="nothing to send with: give --config FILE"):
        notification_config(None, {})
    assert notification_config(None, {}, required=False).describe() == "no channels"


def test_secrets_stay_out_of_reprs_and_errors() -> None:
    env = {"TECHPM_SMTP_PASSWORD": PASSWORD, "TECHPM_WEBHOOK_URL": HOOK, "TECHPM_SMTP_HOST": "h"}
    settings = load_notify_settings(env)
    overrides = settings.overrides()
    assert overrides.smtp_password == PASSWORD
    assert overrides.webhook_url == HOOK
    for text in (repr(settings), str(settings), repr(overrides)):
        assert "pa ss" not in text
        assert "secret" not in text
    assert "webhook_url='https://hooks.slack.com/***'" in repr(overrides)
    with pytest.raises(NotifyConfigError) as caught:
        load_notify_config(None, env | {"TECHPM_SMTP_PORT": "25x"})
    assert caught.value.message == "TECHPM_SMTP_PORT: expected a port number, got '25x'"
    with pytest.raises(NotifyConfigError) as hook:
        load_notify_config(None, {"TECHPM_WEBHOOK_URL": "ftp://x/XXXXsecretXXXX"})
    assert hook.value.message == "TECHPM_WEBHOOK_URL: expected an http(s) URL (value not shown)"


def test_empty_and_blank_variables_count_as_unset() -> None:
    env = {"TECHPM_SMTP_HOST": "   ", "TECHPM_SMTP_PORT": "", "TECHPM_SMTP_PASSWORD": ""}
    env |= {"TECHPM_WEBHOOK_URL": " ", "TECHPM_MAIL_TO": " , "}
    assert load_notify_settings(env).overrides() == NotifyOverrides(recipients=())
    del env["TECHPM_MAIL_TO"]  # given, even empty, it asks for a host
    assert load_notify_config(None, env).smtp is None
