"""Personal API tokens: shown once, stored only as a SHA-256 hash, with a scope and an expiry.

Tokens carry 256 random bits, so a plain SHA-256 (no salt, no slow hash) is safe to store and
lets the server find a token by its hash. The `tpm_` prefix makes a leaked token easy to spot
by secret scanners and people alike.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from techpm.domain.errors import TechpmError

TokenScope = Literal["read", "write"]
TOKEN_PREFIX = "tpm_"
TOKEN_BYTES = 32
HINT_LENGTH = len(TOKEN_PREFIX) + 4  # what a token list shows: "tpm_AbCd..."
MAX_EXPIRES_DAYS = 3660
SCOPES: tuple[TokenScope, ...] = ("read", "write")


class TokenError(TechpmError):
    """Refused credentials; the message never contains the token."""

    code = "auth.invalid_token"


@dataclass(frozen=True)
class IssuedToken:
    """A new token: `token` goes to the user once, the rest is what the server stores."""

    token: str = field(repr=False)
    token_hash: str
    hint: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None


@dataclass(frozen=True)
class StoredToken:
    token_hash: str
    scope: TokenScope
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, token_hash: str) -> bool:
    """Constant-time comparison, so response times do not reveal how much of a hash matched."""
    return hmac.compare_digest(hash_token(token), token_hash)


def looks_like_token(text: str) -> bool:
    return text.startswith(TOKEN_PREFIX) and len(text) > HINT_LENGTH


def issue_token(*, scope: str, expires_in_days: int | None, now: datetime) -> IssuedToken:
    """`now` is an aware UTC instant; `expires_in_days=None` means the token does not expire."""
    if scope not in SCOPES:
        raise TokenError(f"scope: expected 'read' or 'write', got {scope!r}", code="auth.bad_scope")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRES_DAYS:
        raise TokenError(
            f"expires_in_days: expected 1 to {MAX_EXPIRES_DAYS}, got {expires_in_days}",
            code="auth.bad_expiry",
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    expires_at = None if expires_in_days is None else now + timedelta(days=expires_in_days)
    return IssuedToken(
        token=token,
        token_hash=hash_token(token),
        hint=token[:HINT_LENGTH],
        scope="read" if scope == "read" else "write",
        created_at=now,
        expires_at=expires_at,
    )


def check_token(token: str, stored: StoredToken | None, *, now: datetime) -> TokenScope:
    """The scope a presented token grants at `now`, or TokenError: unknown, revoked, expired."""
    if stored is None or not looks_like_token(token) or not token_matches(token, stored.token_hash):
        raise TokenError("the token is not valid")
    if stored.revoked_at is not None and stored.revoked_at <= now:
        raise TokenError("the token has been revoked", code="auth.token_revoked")
    if stored.expires_at is not None and stored.expires_at <= now:
        raise TokenError("the token has expired", code="auth.token_expired")
    return stored.scope
