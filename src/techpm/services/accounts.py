"""Users and their personal API tokens: what `techpm user`, `techpm token` and the server's
login share. Passwords and tokens are stored only as hashes; a token is shown once, when it
is created, and refused at once when revoked or expired."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from techpm.domain.errors import NotFoundError, TechpmError
from techpm.persistence.rows.accounts import EMAIL_LENGTH, ApiTokenRow, UserRow
from techpm.security.login_limiter import LoginLimiter
from techpm.security.passwords import MIN_PASSWORD_LENGTH, Passwords
from techpm.security.tokens import (
    StoredToken,
    TokenError,
    TokenScope,
    hash_token,
    issue_token,
    looks_like_token,
)
from techpm.security.tokens import check_token as check_stored_token

Clock = Callable[[], datetime]


class UserExistsError(TechpmError):
    code = "user.exists"


class UserNotFoundError(NotFoundError):
    code = "user.not_found"


class BadEmailError(TechpmError):
    code = "user.bad_email"


class LoginFailedError(TechpmError):
    """Wrong password or unknown account: the message does not say which."""

    code = "auth.invalid_credentials"


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    is_admin: bool
    created_at: datetime


@dataclass(frozen=True)
class CreatedToken:
    """`token` is the only copy of the plain token; nothing can show it again."""

    id: int
    token: str
    hint: str
    scope: TokenScope
    expires_at: datetime | None


@dataclass(frozen=True)
class TokenGrant:
    user: User
    scope: TokenScope
    token_id: int


def utc_now() -> datetime:
    return datetime.now(UTC)


def normalise_email(email: str) -> str:
    """One address, one account: compared lower-cased, without surrounding spaces."""
    text = email.strip().lower()
    local, at, domain = text.partition("@")
    if not at or not local or "." not in domain or len(text) > EMAIL_LENGTH or " " in text:
        raise BadEmailError(f"email: {email.strip()!r} is not an e-mail address")
    return text


def _user(row: UserRow) -> User:
    return User(row.id, row.email, row.name, row.is_admin, row.created_at)


def _find_user(session: Session, email: str) -> UserRow | None:
    return session.scalars(select(UserRow).where(UserRow.email == normalise_email(email))).first()


def get_user(session: Session, email: str) -> User:
    row = _find_user(session, email)
    if row is None:
        raise UserNotFoundError(f"user: no account for {email.strip()!r}")
    return _user(row)


def add_user(
    session: Session,
    email: str,
    *,
    name: str,
    password: str,
    is_admin: bool = False,
    passwords: Passwords,
    now: Clock = utc_now,
) -> User:
    """A new account; `user.exists` if the address has one, `auth.weak_password` if the
    password is too short. Commits, so the account exists when this returns."""
    address = normalise_email(email)
    if not name.strip():
        raise TechpmError("name: must not be empty", code="user.bad_name")
    password_hash = passwords.hash(password)
    if _find_user(session, address) is not None:
        raise UserExistsError(f"user: {address!r} already has an account")
    row = UserRow(
        email=address,
        name=name.strip(),
        password_hash=password_hash,
        is_admin=is_admin,
        created_at=now(),
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # added by someone else between the check and the write
        session.rollback()
        raise UserExistsError(f"user: {address!r} already has an account") from None
    return _user(row)


def list_users(session: Session) -> list[User]:
    return [_user(row) for row in session.scalars(select(UserRow).order_by(UserRow.email))]


def create_token(
    session: Session,
    email: str,
    *,
    name: str,
    scope: str = "write",
    expires_in_days: int | None = None,
    now: Clock = utc_now,
) -> CreatedToken:
    user = _find_user(session, email)
    if user is None:
        raise UserNotFoundError(f"user: no account for {email.strip()!r}")
    if not name.strip():
        raise TechpmError("name: must not be empty", code="token.bad_name")
    issued = issue_token(scope=scope, expires_in_days=expires_in_days, now=now())
    row = ApiTokenRow(
        user_id=user.id,
        name=name.strip(),
        token_hash=issued.token_hash,
        hint=issued.hint,
        scope=issued.scope,
        expires_at=issued.expires_at,
        created_at=issued.created_at,
    )
    session.add(row)
    session.commit()
    return CreatedToken(row.id, issued.token, issued.hint, issued.scope, issued.expires_at)


def check_token(session: Session, token: str, *, now: Clock = utc_now) -> TokenGrant:
    """Whose token it is and what it may do; `auth.invalid_token`, `auth.token_revoked` or
    `auth.token_expired` otherwise, decided on the stored state at this instant."""
    row = None
    if looks_like_token(token):
        found = select(ApiTokenRow).where(ApiTokenRow.token_hash == hash_token(token))
        row = session.scalars(found).first()
    stored = None
    if row is not None:
        scope: TokenScope = "read" if row.scope == "read" else "write"
        stored = StoredToken(row.token_hash, scope, row.expires_at, row.revoked_at)
    granted = check_stored_token(token, stored, now=now())
    assert row is not None  # check_stored_token refuses a token it has no row for
    return TokenGrant(_user(row.user), granted, row.id)


@dataclass(frozen=True)
class TokenView:
    """What a token list shows: never the token, only its first characters."""

    id: int
    name: str
    hint: str
    scope: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


def list_tokens(session: Session, user_id: int) -> list[TokenView]:
    query = select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
    return [
        TokenView(r.id, r.name, r.hint, r.scope, r.created_at, r.expires_at, r.revoked_at)
        for r in session.scalars(query)
    ]


def revoke_token(
    session: Session, token_id: int, *, now: Clock = utc_now, owner_id: int | None = None
) -> None:
    """Refused from this instant on; revoking twice keeps the first instant. With `owner_id`,
    only that user's token can be revoked (another user's is "not found")."""
    row = session.get(ApiTokenRow, token_id)
    if row is None or (owner_id is not None and row.user_id != owner_id):
        raise TokenError(f"token: no token {token_id}", code="token.not_found")
    if row.revoked_at is None:
        row.revoked_at = now()
        session.commit()


def authenticate(
    session: Session,
    email: str,
    password: str,
    address: str,
    *,
    passwords: Passwords,
    limiter: LoginLimiter,
) -> User:
    """The account, if the password is right; `auth.rate_limited` after too many failures for
    this account and client address, before any password is checked. A better hash replaces
    an outdated one on success."""
    limiter.check(email, address)
    try:
        row = _find_user(session, email)
    except BadEmailError:
        row = None
    if row is None:
        passwords.verify_unknown(password)
        limiter.failed(email, address)
        raise LoginFailedError("wrong e-mail or password")
    verified = passwords.verify(row.password_hash, password)
    if not verified.ok:
        limiter.failed(email, address)
        raise LoginFailedError("wrong e-mail or password")
    limiter.succeeded(email, address)
    if verified.rehash and len(password) >= MIN_PASSWORD_LENGTH:
        row.password_hash = passwords.hash(password)
        session.commit()
    return _user(row)
