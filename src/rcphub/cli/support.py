"""What every ``rcphub`` command shares: the context (settings and a prepared database), the
error handling, the common options. Kept apart from :mod:`rcphub.cli` so that the commands
that live with their capability (search, themes, follow-up, accounts) can import it without
importing the command group that registers them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from rcphub.config import LANGUAGES, Settings
from rcphub.errors import RcphubError

LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Show names in this language (with a marked fallback).",
)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON (as the API).")


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


pass_context = click.make_pass_decorator(Context)
