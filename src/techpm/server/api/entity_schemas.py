"""The OpenAPI schemas of the collections' bodies, taken from the plan file's own models so
that the documentation shows what a task, a risk or a resource holds in the words of the
YAML. A `POST` body is an entry (its `id` may be left for the server to choose); a `PATCH`
body is a JSON merge patch, any of whose keys may be null (to remove it)."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from techpm.interop.planfile.backlog_model import IdeaModel, SprintModel
from techpm.interop.planfile.model import ResourceModel, RiskModel, StakeholderModel, TaskModel

REF = "#/components/schemas/{model}"
READ_ONLY = {
    "version": {"type": "integer", "readOnly": True, "description": "ignored in a body"},
    "schedule": {"type": "object", "readOnly": True, "description": "ignored in a body"},
}
MODELS: dict[str, type[BaseModel]] = {
    "tasks": TaskModel,
    "items": TaskModel,
    "resources": ResourceModel,
    "risks": RiskModel,
    "stakeholders": StakeholderModel,
    "ideas": IdeaModel,
    "sprints": SprintModel,
}
LINKS: dict[str, dict[str, Any]] = {
    "dependencies": {
        "predecessor": {"type": "string", "minLength": 1},
        "successor": {"type": "string", "minLength": 1},
        "type": {"enum": ["FS", "SS", "FF", "SF"]},
        "lag": {"type": "string", "description": "a duration such as 2d"},
    },
    "assignments": {
        "task": {"type": "string", "minLength": 1},
        "resource": {"type": "string", "minLength": 1},
        "units": {"type": "number", "exclusiveMinimum": 0},
    },
}
REQUIRED = {"dependencies": ["predecessor", "successor"], "assignments": ["task", "resource"]}


def _model_entry(model: type[BaseModel], defs: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template=REF)
    defs.update(schema.pop("$defs", {}))
    entry = copy.deepcopy(defs[model.__name__]) if "$ref" in schema else schema
    properties = entry.setdefault("properties", {})
    if model is TaskModel:
        properties.pop("children", None)
        properties["parent"] = {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "description": "the summary task it sits under; null at the top",
        }
    entry["required"] = [name for name in entry.get("required", []) if name != "id"]
    return entry


def _bodies(name: str, defs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The POST and the PATCH body of a collection."""
    if name in MODELS:
        entry = _model_entry(MODELS[name], defs)
    else:
        entry = {
            "type": "object",
            "properties": {"id": {"type": "string"}, **copy.deepcopy(LINKS[name])},
            "required": REQUIRED[name],
            "additionalProperties": False,
        }
    entry["properties"].update(copy.deepcopy(READ_ONLY))
    patch = copy.deepcopy(entry)
    patch.pop("required", None)
    patch["properties"] = {
        key: value if key in READ_ONLY else {"anyOf": [value, {"type": "null"}]}
        for key, value in patch["properties"].items()
    }
    return entry, patch


def body_names(name: str) -> tuple[str, str]:
    title = name.title()
    return f"{title}Entry", f"{title}Patch"


def request_body(schema_name: str) -> dict[str, Any]:
    """The `openapi_extra` of a route whose body is one of these schemas."""
    ref = {"$ref": f"#/components/schemas/{schema_name}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def install_entity_schemas(app: FastAPI, names: list[str]) -> None:
    """Add the schemas to the OpenAPI document when FastAPI first builds it."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        defs: dict[str, Any] = {}
        for name in names:
            entry_name, patch_name = body_names(name)
            schemas[entry_name], schemas[patch_name] = _bodies(name, defs)
        for key, value in defs.items():
            schemas.setdefault(key, value)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
