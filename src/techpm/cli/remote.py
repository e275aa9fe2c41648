"""`techpm login`, `techpm pull` and `techpm push`: a plan file kept in Git and the same plan on
the team server, moved both ways without losing anyone's changes.

A pulled file gets a sidecar (`plan.server.json`: server, project, version) next to it; a push
names that version in `If-Match`, so the server refuses it when someone changed the project
in between, and says what they changed."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from techpm.cli.output import exit_code_for, fail, reporting_errors, stderr, stdout
from techpm.domain.errors import TechpmError

if TYPE_CHECKING:
    from techpm.domain.project import Project
    from techpm.interop.server_client import ServerClient, ServerError

SERVER_VARIABLE = "TECHPM_SERVER"
SHOWN_LENGTH = 80
SERVER_OPTION = typer.Option(
    None,
    "--server",
    help="The server's URL; default the one the file was pulled from, else TECHPM_SERVER, "
    "else the only server logged in to.",
    show_default=False,
)
PROJECT_OPTION = typer.Option(
    ..., "--project", help="The project's key on the server (PAY).", show_default=False
)


def sidecar_path(plan: Path) -> Path:
    """`plans/pay.yaml` -> `plans/pay.server.json`."""
    return plan.with_name(plan.stem + ".server.json")


def read_sidecar(plan: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(sidecar_path(plan).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(data, dict) and isinstance(data.get("version"), int)
    return data if ok else None


def write_sidecar(plan: Path, url: str, project: str, version: int | None) -> None:
    from techpm.interop.safe_write import write_file

    record = {"url": url, "project": project, "version": version}
    write_file(sidecar_path(plan), json.dumps(record, indent=2) + "\n")


def resolve_server(given: str | None, plan: Path | None = None) -> str:
    from techpm.bootstrap.credentials import only_server, server_key

    pulled = read_sidecar(plan) if plan is not None else None
    url = given or (pulled or {}).get("url") or os.environ.get(SERVER_VARIABLE) or only_server()
    if not url:
        raise TechpmError(
            "no server named: pass --server URL (or log in with `techpm login URL` first)",
            code="remote.no_server",
        )
    return server_key(str(url))


def connect(url: str) -> ServerClient:
    from techpm.bootstrap.credentials import token_for
    from techpm.interop.server_client import ServerClient

    token = token_for(url)
    if token is None:
        raise TechpmError(
            f"not logged in to {url}: run `techpm login {url}` first", code="remote.not_logged_in"
        )
    return ServerClient(url, token=token)


def refuse(error: ServerError) -> NoReturn:
    """The server's problem document, printed, and the exit code the same error would get
    locally (a bad plan 3, not found 4 ...)."""
    from techpm.domain.errors import InvalidPlanError, NotFoundError, Problem, SourceLocation

    stderr.print(f"error {error.code}: {error.message}", markup=False)
    for entry in error.errors:
        where = ":".join(str(entry[k]) for k in ("line", "column") if entry.get(k) is not None)
        label = " ".join(p for p in (where, str(entry.get("field") or "")) if p)
        prefix = f"{label}: " if label else ""
        stderr.print(f"  {prefix}{entry.get('code')}: {entry.get('message')}", markup=False)
    local: TechpmError = error
    if error.status == 404:
        local = NotFoundError(error.message, code=error.code)
    elif error.status == 422 and any("line" in entry for entry in error.errors):
        local = InvalidPlanError(
            [
                Problem(str(e.get("code")), str(e.get("message")), SourceLocation("server"))
                for e in error.errors
            ]
        )
    raise typer.Exit(exit_code_for(local))


@contextmanager
def local_errors() -> Iterator[None]:
    """Like `reporting_errors`, except for the server's refusals: the command reports those
    itself, with their details."""
    from techpm.interop.server_client import ServerError

    try:
        yield
    except ServerError:
        raise
    except TechpmError as error:
        fail(error)


def login(
    url: str = typer.Argument(..., help="The server (http://127.0.0.1:8000).", show_default=False),
    email: str | None = typer.Option(
        None, "--email", help="Your login; asked for when not given.", show_default=False
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
    token: str | None = typer.Option(
        None,
        "--token",
        help="Store this personal API token (checked first) instead of logging in.",
        show_default=False,
    ),
) -> None:
    """Log in to a team server and keep the token for pull and push (file mode 0600)."""
    from techpm.bootstrap.credentials import save_token, server_key
    from techpm.interop.server_client import ServerClient, ServerError

    server = server_key(url)
    try:
        with local_errors():
            if token is None:
                address = email or str(typer.prompt("E-mail"))
                if password_stdin:
                    password = sys.stdin.readline().rstrip("\r\n")
                else:
                    password = str(typer.prompt("Password", hide_input=True))
                with ServerClient(server) as client:
                    token = client.login(address, password)
            with ServerClient(server, token=token) as client:
                who = client.me()
            path = save_token(server, token)
    except ServerError as error:
        refuse(error)
    scope = f" ({who['token_scope']} token)" if who.get("token_scope") else ""
    stdout.print(f"logged in to {server} as {who.get('email', '?')}{scope}; token in {path}")


def pull(
    project: str = PROJECT_OPTION,
    output: Path = typer.Option(
        ..., "--output", "-o", help="The plan file to write.", show_default=False
    ),
    server: str | None = SERVER_OPTION,
) -> None:
    """Write the server's plan to a file, and remember its version for the next push."""
    from techpm.interop.safe_write import write_file
    from techpm.interop.server_client import ServerError

    try:
        with local_errors():
            url = resolve_server(server, output)
            with connect(url) as client:
                plan = client.get_plan(project)
            write_file(output, plan.text)
            write_sidecar(output, url, project, plan.version)
    except ServerError as error:
        refuse(error)
    stdout.print(f"pulled {project} version {plan.version} from {url} into {output}")


def change_line(change: Any) -> str:
    """One change (a plan_diff Change, or the server's JSON of one) as a line."""

    def get(name: str) -> Any:
        return change.get(name) if isinstance(change, dict) else getattr(change, name, None)

    text = f"  {get('action')} {get('entity')} {get('key')}"
    if get("field"):
        text += f" {get('field')}: {_shown(get('old'))} -> {_shown(get('new'))}"
    return text


def _shown(value: Any) -> str:
    """A value short enough for one line: a whole list of subtasks is not what a reader needs."""
    if value is None:
        return "(none)"
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 3] + "..."


def print_changes(changes: Sequence[Any], heading: str) -> None:
    stdout.print(heading, markup=False)
    for change in changes:
        stdout.print(change_line(change), markup=False)


def push(
    plan: Path = typer.Argument(..., help="The plan file (YAML).", show_default=False),
    project: str = PROJECT_OPTION,
    server: str | None = SERVER_OPTION,
    yes: bool = typer.Option(False, "--yes", "-y", help="Push without asking."),
    force: bool = typer.Option(
        False, "--force", help="Overwrite the server's plan even if it changed (If-Match: *)."
    ),
) -> None:
    """Check the plan, show what it changes on the server, and replace the server's plan."""
    from techpm.interop.planfile.document import YamlDocument
    from techpm.interop.planfile.loader import load_plan_document
    from techpm.interop.server_client import ServerError
    from techpm.services.planning import check_plan

    with reporting_errors():  # the problems `techpm check` prints, with its exit code
        local = check_plan(plan).problem.project
    from techpm.services.plan_diff import diff_plans

    try:
        with local_errors():
            url = resolve_server(server, plan)
            pulled = read_sidecar(plan)
            if pulled and (pulled.get("url") != url or pulled.get("project") != project):
                pulled = None  # pulled from another project: says nothing about this one
            with connect(url) as client:
                current = client.get_plan(project)
                theirs = load_plan_document(YamlDocument(f"{project} on {url}", current.text))
                changes = diff_plans(theirs.project, local)
                if not changes:
                    stdout.print(
                        f"nothing to push: {plan} is {project} at version {current.version}"
                    )
                    write_sidecar(plan, url, project, current.version)
                    return
                expected = _expected(plan, project, pulled, current.version, theirs.project, force)
                if expected == current.version or expected == "*":
                    print_changes(changes, f"{plan} changes {project} on {url}:")
                    if not yes and not typer.confirm(f"Push to {project}?", default=False):
                        stderr.print("nothing was pushed", markup=False)
                        raise typer.Exit(1)
                written = client.put_plan(
                    project, plan.read_text(encoding="utf-8"), if_match=expected
                )
            write_sidecar(plan, url, project, written.version)
    except ServerError as error:
        if error.status == 412:
            _stale(error, plan, project, pulled)
        refuse(error)
    stdout.print(f"pushed {plan} to {project}: now version {written.version}")


def _expected(
    plan: Path,
    project: str,
    pulled: dict[str, Any] | None,
    version: int | None,
    theirs: Project,
    force: bool,
) -> int | str:
    """The version this push is based on. A file never pulled may only go to a project
    with no tasks yet (a new one): anything else would overwrite work it has never seen."""
    if force:
        return "*"
    if pulled is not None:
        return int(pulled["version"])
    if not theirs.tasks and version is not None:
        return version
    raise TechpmError(
        f"{plan} was never pulled from {project}, which has tasks already: pull it to a "
        f"file (`techpm pull --project {project} --output OTHER.yaml`), bring your changes "
        "into that file and push it, or push with --force to replace the server's plan",
        code="remote.not_pulled",
    )


def _stale(error: ServerError, plan: Path, project: str, pulled: dict[str, Any] | None) -> NoReturn:
    base = pulled.get("version") if pulled else "?"
    now = error.extra.get("current_version", "?")
    stderr.print(
        f"refused: {project} changed on the server since {plan} was last pulled "
        f"(version {base}; the server is at version {now}); nothing was pushed",
        markup=False,
    )
    changes = error.extra.get("changes") or []
    if changes:
        stderr.print("changed on the server since then:", markup=False)
        for change in changes:
            stderr.print(change_line(change), markup=False)
    stderr.print(
        f"to merge: `techpm pull --project {project} --output {plan.stem}.theirs.yaml`, bring "
        f"your changes into that file, and push it; or push {plan} with --force to overwrite "
        "the server's changes",
        markup=False,
    )
    raise typer.Exit(exit_code_for(error))
