"""Accounts on SQLite and PostgreSQL: users, hashed passwords, tokens shown once, revoked and
expired tokens refused at once, and the failed-login limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from techpm.persistence.rows import ApiTokenRow, UserRow
from techpm.security.login_limiter import LoginLimiter, TooManyLoginsError
from techpm.security.passwords import Passwords, WeakPasswordError
from techpm.security.tokens import TokenError
from techpm.services.accounts import (
    BadEmailError,
    LoginFailedError,
    UserExistsError,
    UserNotFoundError,
    add_user,
    authenticate,
    check_token,
    create_token,
    list_users,
    revoke_token,
)

CHEAP = Passwords(time_cost=1, memory_cost_kib=8, parallelism=1)  # tests need speed, not cost
T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _ada(session: Session) -> None:
    add_user(session, "Ada@Example.com ", name="Ada", password="correct horse", passwords=CHEAP)


def test_a_user_is_stored_with_a_hash_never_the_password(session: Session) -> None:
    user = add_user(
        session,
        "Ada@Example.com",
        name="Ada Lovelace",
        password="correct horse",
        is_admin=True,
        passwords=CHEAP,
        now=lambda: T0,
    )
    assert (user.email, user.name, user.is_admin, user.created_at) == (
        "ada@example.com",
        "Ada Lovelace",
        True,
        T0,
    )
    session.expunge_all()
    row = session.scalars(select(UserRow)).one()
    assert row.password_hash.startswith("$argon2id$")
    assert "correct horse" not in row.password_hash
    assert row.created_at == T0  # aware UTC back from both databases
    assert row.version == 1


def test_one_address_one_account_whatever_its_case(session: Session) -> None:
    _ada(session)
    with pytest.raises(UserExistsError) as error:
        add_user(session, "ADA@example.COM", name="Other", password="another one", passwords=CHEAP)
    assert error.value.code == "user.exists"
    assert [u.email for u in list_users(session)] == ["ada@example.com"]


def test_weak_passwords_and_bad_addresses_are_refused(session: Session) -> None:
    with pytest.raises(WeakPasswordError):
        add_user(session, "bob@example.com", name="Bob", password="short", passwords=CHEAP)
    with pytest.raises(BadEmailError):
        add_user(session, "not-an-address", name="Bob", password="long enough", passwords=CHEAP)
    assert list_users(session) == []


def test_users_are_listed_by_address(session: Session) -> None:
    for email in ("zoe@example.com", "ada@example.com", "max@example.com"):
        add_user(session, email, name=email[:3], password="long enough", passwords=CHEAP)
    assert [u.email for u in list_users(session)] == [
        "ada@example.com",
        "max@example.com",
        "zoe@example.com",
    ]


def test_a_token_is_shown_once_and_stored_hashed(session: Session) -> None:
    _ada(session)
    created = create_token(
        session, "ada@example.com", name="ci", scope="read", expires_in_days=30, now=lambda: T0
    )
    assert created.token.startswith("tpm_")
    assert created.hint == created.token[:8]
    assert created.expires_at == T0 + timedelta(days=30)
    session.expunge_all()
    row = session.scalars(select(ApiTokenRow)).one()
    assert created.token not in (row.token_hash, row.hint)
    grant = check_token(session, created.token, now=lambda: T0 + timedelta(days=29))
    assert (grant.user.email, grant.scope, grant.token_id) == ("ada@example.com", "read", row.id)


def test_an_expired_token_is_refused_at_its_expiry_instant(session: Session) -> None:
    _ada(session)
    created = create_token(session, "ada@example.com", name="ci", expires_in_days=1, now=lambda: T0)
    # issued 09:00 on 2 Dec for one day: valid until 09:00 on 3 Dec, refused from then on
    check_token(session, created.token, now=lambda: T0 + timedelta(hours=23, minutes=59))
    with pytest.raises(TokenError) as error:
        check_token(session, created.token, now=lambda: T0 + timedelta(days=1))
    assert error.value.code == "auth.token_expired"


def test_a_revoked_token_is_refused_at_once(session: Session) -> None:
    _ada(session)
    created = create_token(session, "ada@example.com", name="laptop", now=lambda: T0)
    assert check_token(session, created.token).scope == "write"
    revoke_token(session, created.id, now=lambda: T0 + timedelta(minutes=5))
    with pytest.raises(TokenError) as error:
        check_token(session, created.token, now=lambda: T0 + timedelta(minutes=5))
    assert error.value.code == "auth.token_revoked"
    revoke_token(session, created.id, now=lambda: T0 + timedelta(hours=1))
    row = session.get(ApiTokenRow, created.id)
    assert row is not None
    assert (row.revoked_at, row.version) == (T0 + timedelta(minutes=5), 2)  # revoked once


@pytest.mark.parametrize("token", ["tpm_not-a-real-token-at-all", "nonsense", ""])
def test_unknown_tokens_are_refused(session: Session, token: str) -> None:
    with pytest.raises(TokenError) as error:
        check_token(session, token)
    assert error.value.code == "auth.invalid_token"


def test_a_token_for_an_unknown_user_is_refused(session: Session) -> None:
    with pytest.raises(UserNotFoundError) as error:
        create_token(session, "nobody@example.com", name="ci")
    assert error.value.code == "user.not_found"


def test_a_bad_scope_is_refused(session: Session) -> None:
    _ada(session)
    with pytest.raises(TokenError) as error:
        create_token(session, "ada@example.com", name="ci", scope="admin")
    assert error.value.code == "auth.bad_scope"


def test_login_checks_the_password_and_the_failure_limit(session: Session) -> None:
    _ada(session)
    clock = [0.0]
    limiter = LoginLimiter(clock=lambda: clock[0])
    user = authenticate(
        session, "ADA@example.com", "correct horse", "10.0.0.1", passwords=CHEAP, limiter=limiter
    )
    assert user.email == "ada@example.com"
    for _ in range(10):  # ten failures in the minute are allowed ...
        with pytest.raises(LoginFailedError):
            authenticate(
                session, "ada@example.com", "wrong", "10.0.0.1", passwords=CHEAP, limiter=limiter
            )
    with pytest.raises(TooManyLoginsError) as error:  # ... the eleventh attempt is not,
        authenticate(
            session,
            "ada@example.com",
            "correct horse",
            "10.0.0.1",
            passwords=CHEAP,
            limiter=limiter,
        )
    assert error.value.retry_after_seconds == 60  # all ten at t=0: free again at t=60
    # another address is its own count
    authenticate(
        session, "ada@example.com", "correct horse", "10.0.0.2", passwords=CHEAP, limiter=limiter
    )
    clock[0] = 60.0
    authenticate(
        session, "ada@example.com", "correct horse", "10.0.0.1", passwords=CHEAP, limiter=limiter
    )


def test_an_unknown_account_fails_like_a_wrong_password(session: Session) -> None:
    limiter = LoginLimiter()
    with pytest.raises(LoginFailedError) as error:
        authenticate(
            session, "ghost@example.com", "whatever", "10.0.0.1", passwords=CHEAP, limiter=limiter
        )
    assert error.value.message == "wrong e-mail or password"


def test_an_outdated_hash_is_replaced_on_login(session: Session) -> None:
    add_user(session, "ada@example.com", name="Ada", password="correct horse", passwords=CHEAP)
    stronger = Passwords(time_cost=2, memory_cost_kib=8, parallelism=1)
    authenticate(
        session, "ada@example.com", "correct horse", "x", passwords=stronger, limiter=LoginLimiter()
    )
    row = session.scalars(select(UserRow)).one()
    assert "t=2" in row.password_hash
    assert row.version == 2
