"""`techpm user add|list` and `techpm token create`: the team server's accounts, managed from
the machine that holds the database (the first admin has no one to ask through the API)."""

from __future__ import annotations

import sys
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from techpm.cli.database import DATABASE_OPTION, migrated_session
from techpm.cli.output import emit_csv, emit_json, reporting_errors, stderr, stdout

if TYPE_CHECKING:  # imported when a command runs, not when `techpm --help` lists it
    from techpm.services.accounts import User


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Scope(StrEnum):
    read = "read"
    write = "write"


user_app = typer.Typer(
    name="user", help="Add the team server's users, or list them.", no_args_is_help=True
)
token_app = typer.Typer(
    name="token", help="Create a personal API token for a user.", no_args_is_help=True
)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:  # a script: the first line, without its line break
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


@user_app.command("add")
def add(
    email: str = typer.Argument(..., help="The user's e-mail address: their login."),
    name: str = typer.Option(..., "--name", help="The user's name.", show_default=False),
    admin: bool = typer.Option(False, "--admin", help="An instance admin (manages users)."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
    database: str | None = DATABASE_OPTION,
) -> None:
    """Add a user (asks for the password twice, hidden, unless --password-stdin)."""
    from techpm.security.passwords import Passwords
    from techpm.services.accounts import add_user

    with reporting_errors(), migrated_session(database) as session:
        password = _read_password(password_stdin)
        user = add_user(
            session, email, name=name, password=password, is_admin=admin, passwords=Passwords()
        )
        role = "admin" if user.is_admin else "user"
        stdout.print(f"added {role} {user.email} ({user.name})", markup=False)


def _user_json(user: User) -> dict[str, object]:
    return {
        "email": user.email,
        "name": user.name,
        "is_admin": user.is_admin,
        "created_at": _iso(user.created_at),
    }


@user_app.command("list")
def list_(
    output_format: ListFormat = typer.Option(ListFormat.table, "--format", help="Output format."),
    database: str | None = DATABASE_OPTION,
) -> None:
    """List the users, by e-mail address."""
    from techpm.services.accounts import list_users

    with reporting_errors(), migrated_session(database) as session:
        users = list_users(session)
    if output_format is ListFormat.json:
        emit_json({"users": [_user_json(user) for user in users]})
        return
    rows = [
        [u.email, u.name, "yes" if u.is_admin else "no", _iso(u.created_at) or ""] for u in users
    ]
    if output_format is ListFormat.csv:
        emit_csv(["email", "name", "admin", "created_at"], list(rows))
        return
    if not users:
        stderr.print("no users yet; add one with `techpm user add EMAIL --name NAME`")
        return
    lines = [["email", "name", "admin", "created"], *rows]
    widths = [max(len(line[k]) for line in lines) for k in range(3)]
    for line in lines:
        cells = [cell.ljust(widths[k]) for k, cell in enumerate(line[:3])]
        stdout.print("  ".join([*cells, line[3]]), markup=False)


@token_app.command("create")
def create(
    user: str = typer.Option(
        ..., "--user", help="The e-mail of the token's owner.", show_default=False
    ),
    name: str = typer.Option(
        ..., "--name", help="What the token is for (ci, laptop ...).", show_default=False
    ),
    scope: Scope = typer.Option(Scope.write, "--scope", help="read: never writes."),
    expires_days: int | None = typer.Option(
        None, "--expires-days", help="Days until it expires (default: never).", show_default=False
    ),
    database: str | None = DATABASE_OPTION,
) -> None:
    """Create a token and print it, once: only its hash is stored."""
    from techpm.services.accounts import create_token

    with reporting_errors(), migrated_session(database) as session:
        created = create_token(
            session, user, name=name, scope=scope.value, expires_in_days=expires_days
        )
    sys.stdout.write(created.token + "\n")
    sys.stdout.flush()
    expiry = _iso(created.expires_at) or "never"
    stderr.print(
        f"token {created.id} ({created.scope}, expires {expiry}) for {user.strip().lower()}: "
        "copy it now, it is not shown again",
        markup=False,
    )
