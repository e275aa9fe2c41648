"""Passwords (argon2id), personal API tokens (hashed, scoped, expiring) and the login limiter."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm.security.login_limiter import LoginLimiter, TooManyLoginsError
from techpm.security.passwords import Passwords, WeakPasswordError
from techpm.security.tokens import (
    TOKEN_PREFIX,
    StoredToken,
    TokenError,
    check_token,
    hash_token,
    issue_token,
    token_matches,
)

CHEAP = {"time_cost": 1, "memory_cost_kib": 64, "parallelism": 1}  # fast, same algorithm
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def passwords() -> Passwords:
    return Passwords(**CHEAP)


def test_argon2id_hash_verifies_and_refuses(passwords: Passwords) -> None:
    stored = passwords.hash("correct horse battery staple")
    assert stored.startswith("$argon2id$v=19$m=64,t=1,p=1$")
    assert "correct horse" not in stored
    assert passwords.hash("correct horse battery staple") != stored  # salted
    assert passwords.verify(stored, "correct horse battery staple").ok
    assert not passwords.verify(stored, "correct horse battery stable").ok
    assert not passwords.verify("not a hash", "whatever-password").ok
    assert not passwords.verify_unknown("correct horse battery staple").ok


def test_a_hash_with_older_parameters_asks_to_be_rehashed(passwords: Passwords) -> None:
    old = PasswordHasher(time_cost=1, memory_cost=32, parallelism=1).hash("s3cret-enough")
    verified = passwords.verify(old, "s3cret-enough")
    assert (verified.ok, verified.rehash) == (True, True)
    fresh = passwords.verify(passwords.hash("s3cret-enough"), "s3cret-enough")
    assert (fresh.ok, fresh.rehash) == (True, False)
    assert passwords.verify(old, "wrong-password").rehash is False


def test_short_passwords_are_refused(passwords: Passwords) -> None:
    with pytest.raises(WeakPasswordError, match="at least 8 characters") as caught:
        passwords.hash("1234567")
    assert caught.value.code == "auth.weak_password"
    assert "1234567" not in caught.value.message
    passwords.hash("12345678")


def test_a_token_is_shown_once_and_stored_as_its_sha256() -> None:
    issued = issue_token(scope="read", expires_in_days=30, now=NOW)
    assert issued.token.startswith(TOKEN_PREFIX)
    # 32 random bytes in URL-safe base64 are 43 characters, plus the 4 of "tpm_".
    assert len(issued.token) == 47
    assert issued.token_hash == hashlib.sha256(issued.token.encode()).hexdigest()
    assert issued.hint == issued.token[:8]
    assert issued.expires_at == datetime(2026, 4, 1, 9, 0, tzinfo=UTC)  # March has 31 days
    assert issued.token not in repr(issued)
    assert issue_token(scope="write", expires_in_days=None, now=NOW).expires_at is None
    assert issue_token(scope="read", expires_in_days=1, now=NOW).token != issued.token


def test_check_token_gives_the_scope_or_refuses_at_once() -> None:
    issued = issue_token(scope="read", expires_in_days=30, now=NOW)
    stored = StoredToken(issued.token_hash, issued.scope, issued.expires_at)
    assert check_token(issued.token, stored, now=NOW) == "read"
    cases = [
        (issued.token, None, NOW, "auth.invalid_token"),
        (issued.token + "x", stored, NOW, "auth.invalid_token"),
        ("tpm_", stored, NOW, "auth.invalid_token"),
        (issued.token, stored, issued.expires_at, "auth.token_expired"),
        (
            issued.token,
            StoredToken(issued.token_hash, "read", None, NOW),
            NOW,
            "auth.token_revoked",
        ),
    ]
    for token, record, now, code in cases:
        with pytest.raises(TokenError) as caught:
            check_token(token, record, now=now)
        assert caught.value.code == code
        assert issued.token not in caught.value.message
    just_before = issued.expires_at - timedelta(seconds=1) if issued.expires_at else NOW
    assert check_token(issued.token, stored, now=just_before) == "read"


@pytest.mark.parametrize(
    ("scope", "days", "code"),
    [
        ("admin", 1, "auth.bad_scope"),
        ("read", 0, "auth.bad_expiry"),
        ("write", 4000, "auth.bad_expiry"),
    ],
)
def test_bad_token_requests(scope: str, days: int, code: str) -> None:
    with pytest.raises(TokenError) as caught:
        issue_token(scope=scope, expires_in_days=days, now=NOW)
    assert caught.value.code == code


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_only_the_very_token_matches_its_hash(other: str) -> None:
    token = "tpm_" + "A" * 43
    assert token_matches(token, hash_token(token))
    assert token_matches(other, hash_token(token)) is (other == token)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_ten_failures_a_minute_then_retry_after() -> None:
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for second in range(10):  # failures at t = 1000, 1003, ..., 1027
        clock.now = 1000.0 + 3 * second
        limiter.check("ada@example.com", "10.0.0.1")
        limiter.failed("ada@example.com", "10.0.0.1")
    clock.now = 1030.0
    # The oldest of the ten leaves the window at 1000 + 60 = 1060: 30 seconds from now.
    assert limiter.retry_after("ada@example.com", "10.0.0.1") == 30
    with pytest.raises(TooManyLoginsError) as caught:
        limiter.check("ADA@example.com ", "10.0.0.1")  # the same account, spelled otherwise
    assert caught.value.code == "auth.rate_limited"
    assert caught.value.retry_after_seconds == 30
    assert "retry after 30 seconds" in caught.value.message
    limiter.check("ada@example.com", "10.0.0.2")  # another address is not blocked
    limiter.check("bob@example.com", "10.0.0.1")  # nor another account
    clock.now = 1059.5
    assert limiter.retry_after("ada@example.com", "10.0.0.1") == 1  # rounded up, never 0
    clock.now = 1060.0  # sliding: one slot is free again, the next frees at 1063
    assert limiter.retry_after("ada@example.com", "10.0.0.1") is None
    limiter.failed("ada@example.com", "10.0.0.1")
    assert limiter.retry_after("ada@example.com", "10.0.0.1") == 3


def test_a_success_clears_the_failures() -> None:
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for _ in range(9):
        limiter.failed("ada@example.com", "::1")
    limiter.succeeded("ada@example.com", "::1")
    for _ in range(9):
        limiter.failed("ada@example.com", "::1")
    assert limiter.retry_after("ada@example.com", "::1") is None
    limiter.failed("ada@example.com", "::1")
    assert limiter.retry_after("ada@example.com", "::1") == 60


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=5), min_size=1, max_size=40))
def test_never_more_than_ten_failures_are_let_through_in_any_minute(gaps: list[float]) -> None:
    """Whatever the timing, the attempts let through in any 60-second span number at most 10."""
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    attempts = []
    for gap in gaps:
        clock.now += gap
        if limiter.retry_after("a", "b") is None:
            attempts.append(clock.now)
            limiter.failed("a", "b")
    for start in attempts:
        assert sum(start <= t < start + 60 for t in attempts) <= 10
