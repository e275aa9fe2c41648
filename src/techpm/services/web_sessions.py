"""Browser sessions for the web app: a random token in an HttpOnly cookie, its SHA-256 hash in
the database (so any app server can check it, and a stolen database holds no live cookie)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from techpm.domain.errors import TechpmError
from techpm.persistence.rows import UserRow, WebSessionRow
from techpm.security.tokens import hash_token
from techpm.services.accounts import User

SESSION_DAYS = 14


class SessionExpiredError(TechpmError):
    code = "auth.session_expired"


def start_session(
    session: Session, user: User, *, now: datetime, days: int = SESSION_DAYS
) -> tuple[str, datetime]:
    """The cookie's token (shown once) and when it expires. Commits."""
    token = "tps_" + secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=days)
    row = WebSessionRow(
        user_id=user.id, token_hash=hash_token(token), created_at=now, expires_at=expires_at
    )
    session.add(row)
    session.commit()
    return token, expires_at


def session_user(session: Session, token: str, *, now: datetime) -> tuple[User, int]:
    """The user a cookie signs in, and the session's id."""
    query = select(WebSessionRow).where(WebSessionRow.token_hash == hash_token(token))
    row = session.scalars(query).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise SessionExpiredError("the session has ended; sign in again")
    user: UserRow = row.user
    return User(user.id, user.email, user.name, user.is_admin, user.created_at), row.id


def end_session(session: Session, token: str, *, now: datetime) -> None:
    query = select(WebSessionRow).where(WebSessionRow.token_hash == hash_token(token))
    row = session.scalars(query).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        session.commit()
