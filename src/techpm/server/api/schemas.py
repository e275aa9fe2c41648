"""Request bodies of the API. Unknown fields are refused (a typo must not be ignored)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def no_nul(cls, value: object) -> object:
        """A NUL character is never meant, and PostgreSQL cannot store one."""
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("text may not contain a NUL character")
        return value


class Login(Strict):
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class TokenCreate(Strict):
    name: str = Field(min_length=1, max_length=500)
    scope: Literal["read", "write"] = "write"
    expires_in_days: int | None = Field(default=None, ge=1, le=3660)


class UserCreate(Strict):
    email: str = Field(min_length=3, max_length=320)
    name: str = Field(min_length=1, max_length=500)
    password: str = Field(min_length=1, max_length=1024)
    admin: bool = False


class ProjectCreate(Strict):
    key: str = Field(min_length=2, max_length=10, examples=["PAY"])
    name: str = Field(min_length=1, max_length=500)
    start: date | None = None
    description: str | None = Field(default=None, max_length=10_000)


class ProjectUpdate(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=10_000)
    manager: str | None = Field(default=None, max_length=500)
    start: date | None = None
    status_date: date | None = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)


class MemberPut(Strict):
    role: Literal["owner", "manager", "member", "viewer"]


class ProblemEntry(BaseModel):
    field: str | None
    code: str
    message: str
    line: int | None = None
    column: int | None = None


class Problem(BaseModel):
    """RFC 9457 problem details, with techpm's stable `code` and the field-level `errors`."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[ProblemEntry]


PROBLEM_RESPONSES: dict[int | str, dict[str, object]] = {
    "4XX": {
        "description": "The request cannot be served as sent (problem details)",
        "model": Problem,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    },
    "5XX": {
        "description": "The server or its database is unavailable (problem details)",
        "model": Problem,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    },
}
