"""What the importer tests share: where the real samples are, the check `techpm import`
makes on every document, and the counting rules of COUNTS.tsv."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from techpm.interop.planfile.document import YamlDocument
from techpm.interop.planfile.loader import LoadedPlan, load_plan_document

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO.parent / "shared" / "samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"no samples at {SAMPLES}")


def plan_text(document: dict[str, Any]) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def load(document: dict[str, Any]) -> LoadedPlan:
    """The document through the real plan loader: raises InvalidPlanError when invalid."""
    return load_plan_document(YamlDocument("imported.yaml", plan_text(document)))


def walk(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every task of a plan-file task list, parents before their children."""
    found: list[dict[str, Any]] = []
    for task in tasks:
        found.append(task)
        found += walk(task.get("children") or [])
    return found


def by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {task["id"]: task for task in walk(document["tasks"])}


def counts(document: dict[str, Any]) -> dict[str, int]:
    """The figures COUNTS.tsv lists, counted by its rules."""
    tasks = walk(document["tasks"])
    resources = {r["id"] for r in document.get("resources", [])}
    return {
        "tasks": len(tasks),
        "summary_tasks": sum(1 for t in tasks if t.get("children")),
        "milestones": sum(1 for t in tasks if t.get("milestone")),
        "resources": len(resources),
        "dependencies": sum(len(t.get("after", [])) for t in tasks),
        "assignments": sum(
            1 for t in tasks for a in t.get("assign", []) if a["resource"] in resources
        ),
    }


def mpxj_available() -> bool:
    try:
        import jpype  # noqa: F401
        import mpxj  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))


def require_mpxj() -> None:
    """Skip without MPXJ and Java, except under CI, where they must be there."""
    if not mpxj_available():
        if os.environ.get("CI"):
            pytest.fail("MPXJ (pip install 'techpm[mpxj]') and Java 11+ are required under CI")
        pytest.skip("reading .mpp needs MPXJ (pip install 'techpm[mpxj]') and Java 11+")
