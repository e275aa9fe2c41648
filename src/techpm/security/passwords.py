"""Password hashing with argon2id: slow for guessers, upgraded in place when the cost moves.

Verification never raises on a wrong password or a damaged hash: both are "no". Logging in as
an unknown account costs a verification too (`verify_unknown`), so timing tells no one which
accounts exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from techpm.domain.errors import TechpmError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; a cap keeps one login from costing a lot


class WeakPasswordError(TechpmError):
    code = "auth.weak_password"


@dataclass(frozen=True)
class Verified:
    ok: bool
    rehash: bool = False  # the hash uses older parameters: store a new one now


class Passwords:
    """argon2id with argon2-cffi's recommended parameters unless told otherwise (tests go cheap)."""

    def __init__(
        self, *, time_cost: int = 3, memory_cost_kib: int = 65536, parallelism: int = 4
    ) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_cost_kib,
            parallelism=parallelism,
            type=Type.ID,
        )
        self._unknown = self._hasher.hash("no account has this password")

    def hash(self, password: str) -> str:
        check_password(password)
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> Verified:
        if len(password) > MAX_PASSWORD_LENGTH:
            return Verified(ok=False)
        try:
            self._hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return Verified(ok=False)
        return Verified(ok=True, rehash=self._hasher.check_needs_rehash(stored_hash))

    def verify_unknown(self, password: str) -> Verified:
        """The same work as a real verification, for a login name nobody has."""
        self.verify(self._unknown, password)
        return Verified(ok=False)


def check_password(password: str) -> None:
    """Length is the rule that matters (NIST SP 800-63B): at least 8 characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(f"password: too short (at least {MIN_PASSWORD_LENGTH} characters)")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPasswordError(f"password: too long (at most {MAX_PASSWORD_LENGTH} characters)")
