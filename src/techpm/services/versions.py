"""Optimistic concurrency: a write names the version it was based on (the ETag it read). A stale
one is refused with what is there now and what changed since, so nothing is lost silently."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from techpm.domain.errors import TechpmError

Expected = int | Literal["*"]  # "*": overwrite whatever is there, on purpose


class PreconditionRequiredError(TechpmError):
    code = "precondition.required"


class StaleVersionError(TechpmError):
    """`extra` joins the problem document: the current representation and the changes."""

    code = "precondition.failed"

    def __init__(self, message: str, *, extra: dict[str, Any]) -> None:
        super().__init__(message)
        self.extra = extra


def check_version(
    expected: Expected | None,
    current_version: int,
    *,
    what: str,
    current: Callable[[], Any],
    changes: Callable[[], list[dict[str, Any]]],
) -> None:
    if expected is None:
        raise PreconditionRequiredError(
            f"If-Match: send the version of the {what} you read (its ETag), or * to overwrite"
        )
    if expected == "*" or expected == current_version:
        return
    raise StaleVersionError(
        f"the {what} changed since version {expected}; it is at version {current_version}",
        extra={"current_version": current_version, "current": current(), "changes": changes()},
    )
