"""At most N failed logins per account and client address in a sliding window, then a wait.

In memory, for one process; the clock is injected so tests move time by hand. A shared store
(database or Redis) can take its place behind the same three methods.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from techpm.domain.errors import TechpmError

MAX_FAILURES = 10
WINDOW_SECONDS = 60.0
SWEEP_ABOVE = 10_000  # keys tracked before old ones are swept out


class TooManyLoginsError(TechpmError):
    code = "auth.rate_limited"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"too many failed logins; retry after {retry_after_seconds} seconds")
        self.retry_after_seconds = retry_after_seconds


class LoginLimiter:
    """`check` before verifying a password, then `failed` or `succeeded` after."""

    def __init__(
        self,
        *,
        max_failures: int = MAX_FAILURES,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures, self.window, self._clock = max_failures, window_seconds, clock
        self._failures: dict[tuple[str, str], deque[float]] = {}

    @staticmethod
    def _key(account: str, address: str) -> tuple[str, str]:
        return account.strip().casefold(), address

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, account: str, address: str) -> int | None:
        """Whole seconds until one more attempt is allowed, or None if allowed now."""
        now = self._clock()
        times = self._recent(self._key(account, address), now)
        if len(times) < self.max_failures:
            return None
        oldest_counted = times[-self.max_failures]
        return max(1, math.ceil(oldest_counted + self.window - now))

    def check(self, account: str, address: str) -> None:
        wait = self.retry_after(account, address)
        if wait is not None:
            raise TooManyLoginsError(wait)

    def failed(self, account: str, address: str) -> None:
        now = self._clock()
        key = self._key(account, address)
        times = self._recent(key, now)
        times.append(now)
        self._failures[key] = times
        if len(self._failures) > SWEEP_ABOVE:
            self._sweep(now)

    def succeeded(self, account: str, address: str) -> None:
        self._failures.pop(self._key(account, address), None)

    def _sweep(self, now: float) -> None:
        for key in list(self._failures):
            if not self._recent(key, now):
                del self._failures[key]
