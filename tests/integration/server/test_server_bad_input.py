"""Bad input on every route of the team server: malformed or mistyped JSON on each JSON body
the OpenAPI document lists, every kind of plan error through `PUT /plan`, hostile XML and
oversized uploads through the import, bodies over the limit, wrong query parameters, path ids
out of range and bad `If-Match` headers. Each gets a problem+json answer with a stable code,
never a 500, and leaves the project as it was.

Malformed JSON is a 422 (`request.bad_json`), like every other body the server cannot use;
400 is kept for a bad header (`request.bad_if_match`).

The app is the `team` fixture's (same settings, users and PAY), built once per back end for
this module: each case compares the project before and after itself, so the cases need no
fresh database each, and the whole file runs in well under a minute on both back ends."""

from __future__ import annotations

import ast
import gzip
import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import text
from typer.testing import CliRunner

from techpm.bootstrap.settings import load_settings
from techpm.cli.main import app as cli
from techpm.jobs import LocalPoolBackend
from techpm.persistence.database import make_engine
from techpm.persistence.migrate import upgrade
from techpm.server.app import create_app
from tests.integration.persistence.postgres import reachable, required
from tests.integration.server.conftest import CHEAP, Team, seed

PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors"}
PAY_URL = "/api/v1/projects/PAY"
PLAN = f"{PAY_URL}/plan"
IMPORT = "/api/v1/projects/PAY/import"
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios" / "errors"
LIMIT = 20 * 1024 * 1024  # the default body limit the `team` app runs with
PASSWD = Path("/etc/passwd")
SETTINGS = {"TECHPM_DATA_DIR": "/nonexistent"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def team(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Team]:
    """The `team` fixture's app and users, once per back end for the whole module."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('bad') / 'techpm.db'}")
        admin = None
    else:
        url, reason = reachable()
        url = required(url, reason, ci=os.environ.get("CI") == "true")
        admin = make_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = make_engine(f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}")
    try:
        upgrade(engine)
        settings = load_settings(SETTINGS, dev=True)
        jobs = LocalPoolBackend(engine.url.render_as_string(hide_password=False), max_workers=1)
        app = create_app(settings, engine=engine, jobs=jobs, passwords=CHEAP, migrate=False)
        tokens = seed(engine)
        with TestClient(app, raise_server_exceptions=False) as client:
            result = Team(client, engine)
            for who, (write, read) in tokens.items():
                result.tokens[who], result.read_tokens[who] = write, read
            _one_of_each(result)
            yield result
    finally:
        engine.dispose()
        if admin is not None:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


# one entity in every collection PAY's plan leaves empty, so that every PATCH route has one
EXTRA = (
    ("resources", {"id": "ana", "name": "Ana", "rate": "700/d"}),
    ("assignments", {"task": "inventory", "resource": "ana"}),
    ("risks", {"id": "R1", "title": "Licence audit", "probability": 0.2}),
    ("stakeholders", {"id": "cfo", "name": "CFO"}),
    ("ideas", {"id": "I1", "title": "Use DMS"}),
    ("sprints", {"id": "s1", "start": "2027-01-04", "finish": "2027-01-15"}),
    ("items", {"id": "story1", "name": "A story", "duration": "1d", "issue_type": "story"}),
    ("baselines", {"name": "approved"}),
)


def _one_of_each(team: Team) -> None:
    for collection, body in EXTRA:
        made = team.client.post(f"{PAY_URL}/{collection}", json=body, headers=team.as_("manager"))
        assert made.status_code == 201, (collection, made.text)


# --- helpers -------------------------------------------------------------------------------


def problem_of(answer: Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The answer is an RFC 9457 problem with `status` (and `code`), and shows no internals."""
    assert answer.status_code == status, answer.text[:500]
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "Traceback" not in answer.text
    assert 'File "' not in answer.text
    body: dict[str, Any] = answer.json()
    assert set(body) >= PROBLEM_KEYS, body
    assert body["status"] == status
    assert body["type"].endswith("/" + body["code"])
    assert isinstance(body["code"], str)
    assert "." in body["code"]
    if code is not None:
        assert body["code"] == code, body
    return body


def state(team: Team) -> tuple[str, str, list[str]]:
    """PAY's plan text and ETag, and the projects the manager sees: what no bad input changes."""
    headers = team.as_("manager")
    plan = team.client.get(PLAN, headers=headers)
    assert plan.status_code == 200
    projects = team.client.get("/api/v1/projects", headers=team.as_("admin")).json()
    return plan.text, plan.headers["etag"], sorted(p["key"] for p in projects["items"])


def version(team: Team) -> tuple[str, list[str]]:
    """PAY's version (every write moves it) and the projects there are: a cheaper `state`."""
    project = team.client.get("/api/v1/projects/PAY", headers=team.as_("manager"))
    projects = team.client.get("/api/v1/projects", headers=team.as_("admin")).json()
    return project.headers["etag"], sorted(p["key"] for p in projects["items"])


def cli_errors(tmp_path: Path, content: bytes) -> list[dict[str, Any]]:
    """What `techpm check --format json` reports for the same bytes written to a file."""
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(content)
    result = CliRunner().invoke(cli, ["check", str(plan), "--format", "json"])
    assert result.exit_code != 0, result.stdout
    errors: list[dict[str, Any]] = json.loads(result.stdout)["errors"]
    assert errors
    return errors


def located(entries: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(e["code"], e.get("line"), e.get("column"), e.get("field")) for e in entries]


def assert_same_as_check(answer: Response, tmp_path: Path, content: bytes) -> dict[str, Any]:
    """A refused plan gets the code, lines and columns `techpm check` gives the same text."""
    expected = cli_errors(tmp_path, content)
    body = problem_of(answer, 422, expected[0]["code"])
    assert located(body["errors"]) == located(expected)
    return body


# --- 1. JSON bodies, walked from the OpenAPI document -------------------------------------

PATH_VALUES = {"key": "PAY", "email": "viewer@example.com"}
CALLER = {"/api/v1/users": "admin"}  # a manager may not create users: the body would not be read
WRONG = {"wrong": "type"}  # an object, where every property of these bodies wants a scalar or list


def fill(team: Team, path: str) -> str:
    """The path with PAY's values; an entity's id or name is the first its collection lists
    (every collection has one: see `EXTRA`)."""

    def value(name: str) -> str:
        if name in PATH_VALUES:
            return PATH_VALUES[name]
        collection = path.split("/{" + name + "}")[0].replace("{key}", "PAY")
        listing = team.client.get(collection, headers=team.as_("manager"))
        assert listing.status_code == 200, listing.text
        items = listing.json()["items"]
        assert items, f"PAY has nothing at {collection} to change"
        return str(items[0].get("id", items[0].get(name)))

    return re.sub(r"\{(\w+)\}", lambda m: value(m[1]), path)


def _openapi() -> dict[str, Any]:
    """The document the app serves, built without a database (nothing connects)."""
    settings = load_settings({**SETTINGS, "TECHPM_JOB_WORKERS": "0"}, dev=True)
    app = create_app(settings, engine=make_engine("sqlite://"), migrate=False)
    return app.openapi()


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _resolve(spec["components"]["schemas"][name], spec)
    return schema


def _json_operations() -> list[tuple[str, str, dict[str, Any]]]:
    spec = _openapi()
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                schema = _resolve(content["application/json"].get("schema", {}), spec)
                alternatives = [_resolve(s, spec) for s in schema.get("oneOf", [schema])]
                found.append((method.upper(), path, {"alternatives": alternatives}))
    return found


def _wrong_for(schema: Any) -> Any:
    """A value of the wrong type: an object, or a list where the key wants an object."""
    wants_object = isinstance(schema, dict) and (
        schema.get("type") == "object"
        or any(isinstance(s, dict) and s.get("type") == "object" for s in schema.get("anyOf", []))
    )
    return ["wrong"] if wants_object else WRONG


def _bodies(alternatives: list[dict[str, Any]]) -> list[tuple[str, str]]:
    objects = [a for a in alternatives if a.get("type") == "object" or "properties" in a]
    cases = [("malformed", '{"'), ("array", "[]"), ("unknown_field", '{"unknown_field": 1}')]
    properties = {name: schema for a in objects for name, schema in a.get("properties", {}).items()}
    if properties:
        wrong = {name: _wrong_for(properties[name]) for name in sorted(properties)}
        cases.append(("wrong_types", json.dumps(wrong)))
    if any(a.get("required") for a in objects) or not alternatives[0]:
        cases.append(("missing_required", "{}"))
    return cases


JSON_CASES = [
    pytest.param(method, path, spec, kind, body, id=f"{method} {path} {kind}")
    for method, path, spec in _json_operations()
    for kind, body in _bodies(spec["alternatives"])
]


def test_the_walk_finds_the_json_routes() -> None:
    """The walk itself: the routes known to take JSON are all in it (a new one joins them)."""
    walked = {(case.values[0], case.values[1]) for case in JSON_CASES}
    assert {
        ("POST", "/api/v1/auth/token"),
        ("POST", "/api/v1/auth/session"),
        ("POST", "/api/v1/tokens"),
        ("POST", "/api/v1/users"),
        ("POST", "/api/v1/projects"),
        ("PATCH", "/api/v1/projects/{key}"),
        ("PUT", "/api/v1/projects/{key}/members/{email}"),
        ("PUT", "/api/v1/projects/{key}/plan"),
        ("POST", "/api/v1/projects/{key}/simulations"),
        ("POST", "/api/v1/projects/{key}/levelings"),
        ("POST", "/api/v1/projects/{key}/progress"),
    } <= walked


@pytest.mark.parametrize(("method", "path", "spec", "kind", "body"), JSON_CASES)
def test_a_bad_json_body_is_a_problem_and_changes_nothing(
    team: Team, tmp_path: Path, method: str, path: str, spec: dict[str, Any], kind: str, body: str
) -> None:
    url = fill(team, path)
    headers = {
        **team.as_(CALLER.get(path, "manager")),
        "Content-Type": "application/json",
        "If-Match": "*",  # so a write is refused for its body, not for a missing version
    }
    before = version(team)
    answer = team.client.request(method, url, content=body, headers=headers)
    alternatives = spec["alternatives"]
    if not alternatives[0]:  # the plan: a JSON body is a plan file, checked as `techpm check` does
        assert_same_as_check(answer, tmp_path, body.encode())
    elif kind == "array" and any(a.get("type") == "array" for a in alternatives):
        # the document allows a list (of progress rows): an empty one records nothing
        assert answer.status_code == 200, answer.text
        assert answer.json()["change_set"] is None
    else:
        problem = problem_of(answer, 422)
        # a problem inside a nested value (`estimate.optimistic`) belongs to its top-level key
        fields = {re.split(r"[.\[]", e["field"])[0] for e in problem["errors"] if e["field"]}
        codes = {(e["field"], e["code"]) for e in problem["errors"]}
        properties = {  # what a body may set: read-only keys are shown, never written
            n
            for a in alternatives
            for n, schema in a.get("properties", {}).items()
            if not (isinstance(schema, dict) and schema.get("readOnly"))
        }
        required = {n for a in alternatives for n in a.get("required", [])}
        if kind == "malformed":
            assert problem["code"] == "request.bad_json"
        elif kind == "array":
            assert problem["errors"]
            assert all(e["code"].startswith("request.") for e in problem["errors"])
        elif not properties:  # a free-form body the document does not describe: any problem
            assert problem["errors"]
        elif kind == "unknown_field":
            assert any(f == "unknown_field" and c.endswith(".unknown_field") for f, c in codes)
        elif kind == "wrong_types":
            assert fields
            assert fields <= properties
            assert not {c for _, c in codes} & {"request.unknown_field"}
            if len(alternatives) == 1:
                assert fields == properties  # a model's validation names every field at once
        else:
            missing = {f for f, c in codes if c.endswith(".missing_field")}
            assert missing == required
    assert version(team) == before


# --- 2. every kind of plan error, through PUT /plan -----------------------------------------

BASE = """project:
  name: Bad input
  start: 2027-01-04
  calendar: standard
calendars:
  standard: {workweek: [mon, tue, wed, thu, fri], hours_per_day: 8}
resources:
  - {id: ana, name: Ana}
tasks:
  - {id: a, name: A, duration: 2d, assign: [{resource: ana}]}
  - {id: b, name: B, duration: 1d, after: [a]}
"""


def edit(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def _alias_bomb() -> str:
    """Billion laughs in YAML: ten levels of nine aliases each, 9**10 values if expanded."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    return "\n".join(lines) + "\n" + BASE


# name -> (plan bytes, the code the case is written to provoke)
PLAN_ERRORS: dict[str, tuple[str, str]] = {
    "bad_yaml": (edit("  name: Bad input\n", "  name: [Bad input\n"), "planfile.bad_yaml"),
    "duplicate_key": (
        edit("  name: Bad input\n", "  name: Bad input\n  name: Twice\n"),
        "planfile.duplicate_key",
    ),
    "not_a_mapping": ("- just\n- a list\n", "planfile.not_a_mapping"),
    "unknown_key": (
        edit("  start: 2027-01-04\n", "  start: 2027-01-04\n  colour: blue\n"),
        "planfile.unknown_field",
    ),
    "wrong_type": (edit("hours_per_day: 8", "hours_per_day: [8]"), "planfile.bad_value"),
    "bad_duration": (edit("duration: 2d", "duration: two days"), "planfile.bad_duration"),
    "bad_date": (edit("start: 2027-01-04", "start: 2027-02-30"), "planfile.bad_date"),
    "unknown_predecessor": (edit("after: [a]", "after: [nosuch]"), "dependency.unknown_task"),
    "dependency_cycle": (edit("duration: 2d,", "duration: 2d, after: [b],"), "dependency.cycle"),
    "duplicate_id": (edit("{id: b, name: B", "{id: a, name: B"), "task.duplicate_id"),
    "unknown_resource": (edit("resource: ana", "resource: nobody"), "resource.not_found"),
    "unknown_calendar": (
        edit("  calendar: standard\n", "  calendar: lunar\n"),
        "calendar.not_found",
    ),
    "bad_constraint": (
        edit("after: [a]}", "after: [a], constraint: {type: sometime, date: 2027-01-13}}"),
        "planfile.bad_value",
    ),
    "number_past_limit": (
        edit("hours_per_day: 8", "hours_per_day: 10000000000000000000"),
        "planfile.number_too_large",
    ),
    "date_past_limit": (
        edit("start: 2027-01-04", "start: 2427-01-04"),
        "planfile.date_out_of_range",
    ),
    "not_a_number": (edit("hours_per_day: 8", "hours_per_day: .nan"), "planfile.bad_number"),
    "negative_duration": (edit("duration: 2d", "duration: -2d"), "task.negative_duration"),
    "missing_field": (edit("  name: Bad input\n", ""), "planfile.missing_field"),
    "alias_bomb": (_alias_bomb(), "planfile.alias_bomb"),
    "too_deep": (BASE + "deep: " + "[" * 500 + "]" * 500 + "\n", "planfile.too_deep"),
    "tab_indent": (edit("  name: Bad input\n", "\tname: Bad input\n"), "planfile.bad_yaml"),
    "empty_body": ("", "planfile.not_a_mapping"),
}
PLAN_BYTES: dict[str, tuple[bytes, str]] = {
    "not_utf8": (BASE.encode().replace(b"Bad input", b"Bad \xff\xfe input"), "planfile.unreadable"),
    "utf16_without_asking": (BASE.encode("utf-16"), "planfile.not_a_plan"),
    "nul_byte": (BASE.encode().replace(b"Bad input", b"Bad\x00input"), "planfile.not_a_plan"),
    "gzip": (gzip.compress(BASE.encode()), "planfile.not_a_plan"),
}


def _scenario(path: Path) -> tuple[bytes, str]:
    """A scenario file and the code its `# expect-error:` header states."""
    content = path.read_bytes()
    return content, content.decode().split("# expect-error: ", 1)[1].split()[0]


PLAN_CASES = [
    *(pytest.param(v[0].encode(), v[1], id=k) for k, v in PLAN_ERRORS.items()),
    *(pytest.param(*v, id=k) for k, v in PLAN_BYTES.items()),
    *(
        pytest.param(*_scenario(p), id=f"scenario-{p.stem}")
        for p in sorted(SCENARIOS.glob("*.yaml"))
    ),
]


def test_the_base_plan_is_valid(tmp_path: Path) -> None:
    """Each error case is one edit away from a plan `techpm check` accepts."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(BASE, encoding="utf-8")
    assert CliRunner().invoke(cli, ["check", str(plan)]).exit_code == 0


@pytest.mark.parametrize(("content", "intended"), PLAN_CASES)
def test_a_bad_plan_is_refused_as_check_refuses_it_and_nothing_is_stored(
    team: Team, tmp_path: Path, content: bytes, intended: str
) -> None:
    before = state(team)
    headers = {**team.as_("manager"), "If-Match": before[1], "Content-Type": "application/yaml"}
    answer = team.client.put(PLAN, content=content, headers=headers)
    body = assert_same_as_check(answer, tmp_path, content)
    assert body["code"] == intended
    assert state(team) == before


def test_a_plan_with_a_nul_character_is_stored_or_refused_never_a_server_error(team: Team) -> None:
    """`techpm check` accepts a "\\0" escape; SQLite stores it, PostgreSQL cannot hold it."""
    before = state(team)
    content = edit("name: Bad input", 'name: "Bad\\0input"')
    headers = {**team.as_("manager"), "If-Match": before[1], "Content-Type": "application/yaml"}
    answer = team.client.put(PLAN, content=content, headers=headers)
    if answer.status_code == 200:
        assert team.engine.dialect.name == "sqlite"
        assert "Bad\\0input" in team.client.get(PLAN, headers=team.as_("manager")).text
    else:
        problem_of(answer, 422, "request.bad_value")
        assert state(team) == before


# --- 3. hostile imports --------------------------------------------------------------------

NS = 'xmlns="http://schemas.microsoft.com/project"'
XML = '<?xml version="1.0"?>\n'
TASK = (
    "<Tasks><Task><UID>1</UID><ID>1</ID><Name>T</Name><Duration>PT8H0M0S</Duration></Task></Tasks>"
)
MSPDI = (
    f"{XML}<Project {NS}><Name>X</Name><StartDate>2027-01-04T08:00:00</StartDate>{TASK}</Project>\n"
)
LOL = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
GAN_XXE = (
    f'{XML}<!DOCTYPE project [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    '<project name="&x;" version="3"><tasks><task id="1" name="&x;" start="2027-01-04" '
    'duration="1"/></tasks></project>'
)
UNSAFE = (422, "import.unsafe_xml")


def mspdi(doctype: str, body: str = "<Name>&x;</Name>") -> bytes:
    """An MS Project XML file with a DOCTYPE."""
    return f"{XML}<!DOCTYPE Project {doctype}>\n<Project {NS}>{body}{TASK}</Project>".encode()


# name -> (file content, format, status, code)
IMPORTS: dict[str, tuple[bytes, str, int, str]] = {
    "xxe_file": (mspdi('[<!ENTITY x SYSTEM "file:///etc/passwd">]'), "mspdi", *UNSAFE),
    "xxe_url": (mspdi('[<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]'), "mspdi", *UNSAFE),
    "xxe_parameter_entity": (
        mspdi('[<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]', ""),
        "mspdi",
        *UNSAFE,
    ),
    "xxe_gan": (GAN_XXE.encode(), "gan", *UNSAFE),
    "xxe_detected": (GAN_XXE.encode(), "auto", *UNSAFE),
    "billion_laughs": (
        mspdi(f'[<!ENTITY lol0 "lol">{LOL}]', "<Name>&lol9;</Name>"),
        "mspdi",
        *UNSAFE,
    ),
    "external_dtd": (mspdi('SYSTEM "file:///etc/passwd"', "<Name>X</Name>"), "mspdi", *UNSAFE),
    "huge_attribute": (
        f'{XML}<Project {NS} a="{"A" * 5_000_000}"><Name>X</Name>{TASK}</Project>'.encode(),
        "mspdi",
        422,
        "import.failed",  # read within the limit; the missing start date is reported
    ),
    "truncated": (MSPDI[: len(MSPDI) // 2].encode(), "mspdi", 422, "import.bad_xml"),
    "not_xml_as_mspdi": (b"id,name\n1,hello\n", "mspdi", 422, "import.bad_xml"),
    "binary_as_mspdi": (b"\x00\x01\x02garbage", "mspdi", 422, "import.bad_encoding"),
    "empty_as_mspdi": (b"", "mspdi", 422, "import.bad_xml"),
    "gzip_bomb": (
        gzip.compress(b"<Project>" + b"0" * (8 * 1024 * 1024) + b"</Project>"),
        "auto",
        422,
        "import.unknown_format",
    ),
    "unknown_format": (MSPDI.encode(), "bogus", 422, "import.unknown_format"),
    "format_too_long": (MSPDI.encode(), "x" * 50, 422, "request.string_too_long"),
    "over_the_limit": (
        XML.encode() + b"<Project>" + b"0" * LIMIT + b"</Project>",
        "mspdi",
        413,
        "request.too_large",
    ),
}


@pytest.mark.parametrize(
    ("content", "fmt", "status", "code"), [pytest.param(*v, id=k) for k, v in IMPORTS.items()]
)
def test_a_hostile_import_is_refused_reads_no_file_and_changes_nothing(
    team: Team, content: bytes, fmt: str, status: int, code: str
) -> None:
    before = state(team)
    answer = team.client.post(
        IMPORT,
        files={"file": ("upload.xml", content)},
        data={"format": fmt},
        headers=team.as_("manager"),
    )
    problem_of(answer, status, code)
    after = state(team)
    assert after == before
    if PASSWD.exists():
        first = PASSWD.read_text(encoding="utf-8", errors="replace").splitlines()[0]
        assert first not in answer.text
        assert first not in after[0]
    assert "root:x:0:0" not in answer.text


def test_an_upload_streamed_past_the_limit_is_413(team: Team) -> None:
    """No Content-Length to refuse up front: the limit is counted as the body arrives."""
    before = state(team)
    boundary = "xyz"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xml"\r\n\r\n'

    def chunks() -> Iterator[bytes]:
        yield head.encode()
        for _ in range(21):
            yield b"0" * (1024 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {**team.as_("manager"), "Content-Type": f"multipart/form-data; boundary={boundary}"}
    problem_of(
        team.client.post(IMPORT, content=chunks(), headers=headers), 413, "request.too_large"
    )
    assert state(team) == before


PARSERS = {
    "parse",
    "fromstring",
    "fromstringlist",
    "iterparse",
    "XML",
    "XMLParser",
    "XMLPullParser",
}


def test_the_importers_parse_xml_only_through_defusedxml() -> None:
    """No importer takes a parser from the standard library or lxml (those expand entities or
    fetch DTDs); parsing goes through defusedxml, which refuses both."""
    interop = Path(__file__).resolve().parents[3] / "src" / "techpm" / "interop"
    for module in interop.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
                assert not [n for n in names if n.startswith(("xml", "lxml"))], module
            source = node.module or "" if isinstance(node, ast.ImportFrom) else ""
            if isinstance(node, ast.ImportFrom) and source.startswith(("xml", "lxml")):
                assert not source.startswith(("lxml", "xml.sax", "xml.dom")), module
                assert not {a.name for a in node.names} & PARSERS, f"{module}: {source}"


# --- 4. bodies over the limit ------------------------------------------------------------


def _streamed(size: int) -> Iterator[bytes]:
    for _ in range(size // (1024 * 1024) + 1):
        yield b"a" * (1024 * 1024)


OVER_LIMIT = [
    pytest.param(
        "PATCH", "/api/v1/projects/PAY", "application/json", False, id="json-route-declared"
    ),
    pytest.param(
        "PATCH", "/api/v1/projects/PAY", "application/json", True, id="json-route-streamed"
    ),
    pytest.param("POST", "/api/v1/tokens", "application/json", True, id="tokens-streamed"),
    pytest.param("PUT", PLAN, "application/yaml", False, id="plan-declared"),
    pytest.param("PUT", PLAN, "application/yaml", True, id="plan-streamed"),
    pytest.param("POST", "/api/v1/projects/PAY/progress", "text/csv", True, id="progress-streamed"),
]


@pytest.mark.parametrize(("method", "url", "media", "streamed"), OVER_LIMIT)
def test_a_body_over_the_limit_is_413_and_changes_nothing(
    team: Team, method: str, url: str, media: str, streamed: bool
) -> None:
    before = version(team)
    content: bytes | Iterator[bytes] = _streamed(LIMIT) if streamed else b"a" * (LIMIT + 1)
    headers = {**team.as_("manager"), "Content-Type": media, "If-Match": before[0]}
    problem_of(
        team.client.request(method, url, content=content, headers=headers), 413, "request.too_large"
    )
    assert version(team) == before


# --- 5. query parameters, path ids, If-Match ------------------------------------------------

# (method, url, status, code)
PARAMETERS = {
    "history_limit_not_a_number": (
        "GET",
        "/api/v1/projects/PAY/history?limit=abc",
        422,
        "request.int_parsing",
    ),
    "history_limit_negative": (
        "GET",
        "/api/v1/projects/PAY/history?limit=-5",
        422,
        "request.greater_than_equal",
    ),
    "history_limit_huge": (
        "GET",
        "/api/v1/projects/PAY/history?limit=99999999999999999999",
        422,
        "request.less_than_equal",
    ),
    "history_bad_cursor": (
        "GET",
        "/api/v1/projects/PAY/history?cursor=zzz",
        422,
        "request.bad_cursor",
    ),
    "history_huge_cursor": (
        "GET",
        "/api/v1/projects/PAY/history?cursor=9223372036854775808",
        422,
        "request.bad_cursor",
    ),
    "task_history_limit": (
        "GET",
        "/api/v1/projects/PAY/tasks/inventory/history?limit=x",
        422,
        "request.int_parsing",
    ),
    "task_id_too_long": (
        "GET",
        f"/api/v1/projects/PAY/tasks/{'t' * 5000}/history",
        422,
        "request.string_too_long",
    ),
    "export_unknown_format": (
        "GET",
        "/api/v1/projects/PAY/export?format=bogus",
        422,
        "export.unknown_format",
    ),
    "export_format_too_long": (
        "GET",
        f"/api/v1/projects/PAY/export?format={'x' * 30}",
        422,
        "request.string_too_long",
    ),
    "events_bad_last_id": (
        "GET",
        "/api/v1/projects/PAY/events?last_event_id=abc",
        422,
        "request.bad_last_event_id",
    ),
    "events_huge_last_id": (
        "GET",
        "/api/v1/projects/PAY/events?last_event_id=99999999999999999999",
        422,
        "request.bad_last_event_id",
    ),
    "token_id_huge": ("DELETE", "/api/v1/tokens/99999999999999", 422, "request.less_than_equal"),
    "token_id_zero": ("DELETE", "/api/v1/tokens/0", 422, "request.greater_than_equal"),
    "token_id_not_a_number": ("DELETE", "/api/v1/tokens/abc", 422, "request.int_parsing"),
    "job_id_huge": ("GET", "/api/v1/jobs/99999999999999", 404, "job.not_found"),
    "job_id_past_int32": ("GET", "/api/v1/jobs/2147483648", 404, "job.not_found"),
    "job_id_not_a_number": ("GET", "/api/v1/jobs/abc", 404, "job.not_found"),
    "job_id_superscript": ("GET", "/api/v1/jobs/%C2%B2", 404, "job.not_found"),
    "job_cancel_huge": ("DELETE", "/api/v1/jobs/99999999999999", 404, "job.not_found"),
    "project_key_with_nul": ("GET", "/api/v1/projects/PAY%00", 404, "project.not_found"),
    "project_key_long": ("GET", f"/api/v1/projects/{'X' * 300}", 404, "project.not_found"),
    "member_not_an_email": ("DELETE", "/api/v1/projects/PAY/members/a%00b", 422, "user.bad_email"),
}


@pytest.mark.parametrize(
    ("method", "url", "status", "code"), [pytest.param(*v, id=k) for k, v in PARAMETERS.items()]
)
def test_a_bad_parameter_is_a_problem(
    team: Team, method: str, url: str, status: int, code: str
) -> None:
    before = version(team)
    problem = problem_of(
        team.client.request(method, url, headers=team.as_("manager")), status, code
    )
    if status == 422 and code.startswith("request.") and not code.startswith("request.bad_"):
        assert problem["errors"]
        assert problem["errors"][0]["field"]
    assert version(team) == before


def test_a_wrong_status_date_is_422_and_records_nothing(team: Team) -> None:
    before = version(team)
    headers = {**team.as_("manager"), "If-Match": before[0]}
    answer = team.client.post(
        "/api/v1/projects/PAY/progress?status_date=2027-02-30", json=[], headers=headers
    )
    problem = problem_of(answer, 422)
    assert [e["field"] for e in problem["errors"]] == ["status_date"]
    assert version(team) == before


BAD_IF_MATCH = ['"abc"', 'W/"x"', "1,2", '"99999999999999999"', "", "W/", '"-1"', '""']
WRITES = [
    ("PATCH", "/api/v1/projects/PAY", {"json": {"name": "Renamed"}}),
    ("PUT", PLAN, {"content": BASE, "headers": {"Content-Type": "application/yaml"}}),
    ("POST", "/api/v1/projects/PAY/progress", {"json": []}),
    ("POST", IMPORT, {"files": {"file": ("p.yaml", BASE.encode())}}),
    ("DELETE", "/api/v1/projects/PAY", {}),
]


@pytest.mark.parametrize(
    ("method", "url", "extra", "value"),
    [pytest.param(m, u, x, v, id=f"{m} {u} {v!r}") for m, u, x in WRITES for v in BAD_IF_MATCH],
)
def test_a_bad_if_match_is_400_and_writes_nothing(
    team: Team, method: str, url: str, extra: dict[str, Any], value: str
) -> None:
    before = version(team)
    options = {
        **extra,
        "headers": {**team.as_("manager"), **extra.get("headers", {}), "If-Match": value},
    }
    if method == "DELETE":
        options["headers"].update(team.as_("owner"))  # only the owner may delete: reach the check
    body = problem_of(team.client.request(method, url, **options), 400, "request.bad_if_match")
    assert body["errors"] == [
        {"field": "If-Match", "code": "request.bad_if_match", "message": value}
    ]
    assert version(team) == before
