"""Value types shared by the plan file's models."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

TaskId = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$",
        max_length=200,
        description="Unique id used in links (letters, digits, _ . - /).",
    ),
]
