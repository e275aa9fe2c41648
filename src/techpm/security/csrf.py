"""CSRF tokens bound to a browser session: an HMAC of the session token under the server's
secret key, so the server needs no second secret per session and a token from one session is
worthless in another."""

from __future__ import annotations

import hashlib
import hmac


def csrf_token(secret: str, session_token: str) -> str:
    digest = hmac.new(secret.encode(), b"csrf:" + session_token.encode(), hashlib.sha256)
    return digest.hexdigest()


def csrf_matches(secret: str, session_token: str, sent: str | None) -> bool:
    return sent is not None and hmac.compare_digest(csrf_token(secret, session_token), sent)
