"""What every ``rcphub`` command shares: the context (settings and a prepared database), the
principal a command acts as, the error handling, the common options and the one way a command
prints what it found (:func:`emit`). The command modules of :mod:`rcphub.cli` import it; it
imports none of them.
"""

from __future__ import annotations

import functools
import getpass
import json
import sys
from collections.abc import Callable
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from rcphub.accounts.policy import Principal, cli_operator
from rcphub.config import LANGUAGES, Settings
from rcphub.errors import RcphubError
from rcphub.localize import add_display_names

LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Show names in this language (with a marked fallback).",
)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON (as the API).")
PLAIN_JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
"""``--json`` of the commands that do not promise the API's shape (users, tokens, digests and
webhooks print JSON that no route answers as it is; the updates commands print what the API
does)."""


class Context:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._database = None

    @property
    def database(self):  # type: ignore[no-untyped-def]
        if self._database is None:
            from rcphub.bootstrap import prepare_database
            from rcphub.db import Database

            self._database = Database(self.settings)
            click.get_current_context().call_on_close(self._database.dispose)
            prepare_database(self._database)
        return self._database


pass_context = click.make_pass_decorator(Context)


def operator() -> Principal:
    """Who a command acts as: the operator of the machine (``cli:<os user>`` in the audit log
    and history), who may do and read everything — whoever runs ``rcphub`` reaches the
    database already. That is how the first admin is made."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return cli_operator(name)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain and database errors into one line on stderr and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RcphubError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(exc.exit_code)
        except SQLAlchemyError as exc:
            ctx = click.get_current_context().find_object(Context)
            where = ctx.settings.safe_database_url if ctx else "the database"
            reason = str(exc.orig if getattr(exc, "orig", None) else exc).splitlines()[0]
            click.echo(f"error: cannot use {where}: {reason}", err=True)
            sys.exit(5)

    return wrapper


def emit(
    payload: Any,
    as_json: bool,
    text: str | Callable[[Any], None],
    *,
    lang: str | None = None,
    indent: int | None = 2,
) -> None:
    """Print what a command found: with ``--json`` the payload as JSON (a Pydantic model as the
    API dumps it; ``indent=None``: on one line), else ``text`` — the text itself, or a function
    that prints the payload. With ``lang`` the payload's names get a display name in that
    language first (JSON and text alike)."""
    data = payload.model_dump(mode="json") if hasattr(payload, "model_dump") else payload
    if lang:
        data = add_display_names(data, lang)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=indent))
    elif callable(text):
        text(data)
    else:
        click.echo(text)
