"""What a collection request can get wrong, each with its stable code."""

from __future__ import annotations

from techpm.domain.errors import NotFoundError, TechpmError


class EntityNotFoundError(NotFoundError):
    def __init__(self, entity: str, key: str) -> None:
        super().__init__(f"no {entity} {key!r} in this project", code=f"{entity}.not_found")


class EntityExistsError(TechpmError):
    code = "conflict.exists"

    def __init__(self, entity: str, key: str) -> None:
        super().__init__(f"the project already has a {entity} {key!r}")
        self.field = "id"


class FieldError(TechpmError):
    """One field of a body that cannot be used; `field` names it in the problem."""

    def __init__(self, field: str, message: str, *, code: str = "request.invalid_field") -> None:
        super().__init__(f"{field}: {message}", code=code)
        self.field = field


class BusyError(TechpmError):
    code = "conflict.busy"
