"""The plan file's JSON Schema, for editors (YAML language servers) and other tools."""

from __future__ import annotations

from typing import Any

from techpm.interop.planfile.model import PlanModel

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def plan_json_schema() -> dict[str, Any]:
    schema = PlanModel.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": SCHEMA_DIALECT, **schema}
