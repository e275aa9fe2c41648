"""Property-based requests from the OpenAPI spec (schemathesis): a bounded number of generated
requests per route, signed in as the project's owner, must never get a server error, and
every answer must match the spec (status codes, content types, bodies)."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from techpm.persistence.database import session_factory
from techpm.services.accounts import create_token
from tests.integration.server.conftest import Team

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


EXAMPLES_PER_ROUTE = 8


def test_generated_requests_get_no_server_error_and_match_the_spec(team: Team) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", team.client.app)
    sessions = session_factory(team.engine)

    def fresh_token() -> dict[str, str]:
        """A token of its own per request: a generated DELETE may revoke any token."""
        with sessions() as session:
            made = create_token(session, Team.email("owner"), name="schemathesis", scope="write")
        return {"Authorization": f"Bearer {made.token}"}

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        if operation.path.endswith("/events"):  # an endless stream; it has tests of its own
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_ROUTE,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            if case.path_parameters and "key" in case.path_parameters:
                case.path_parameters["key"] = "PAY"  # a project that exists, so routes go deep
            response = case.call(headers=fresh_token())
            case.validate_response(response, checks=CHECKS)

        check()
