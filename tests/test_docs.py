"""The docs stay true: docs/cli.md holds the help of every command and docs/settings.md every
setting. Run with RCPHUB_UPDATE_DOCS=1 to regenerate both after changing a command or setting."""

from __future__ import annotations

import os
from pathlib import Path

import click
from click.testing import CliRunner

from rcphub.cli import main
from rcphub.config import SETTINGS_HELP

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def render_cli_docs() -> str:
    parts = [
        "# The `rcphub` command\n",
        "Generated from `rcphub --help` by `RCPHUB_UPDATE_DOCS=1 pytest tests/test_docs.py`; "
        "a test fails when it is out of date.\n",
    ]
    for path in _commands(main):
        result = CliRunner().invoke(main, [*path, "--help"], prog_name="rcphub", terminal_width=100)
        assert result.exit_code == 0, result.output
        title = " ".join(("rcphub", *path))
        parts.append(f"## `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def render_settings_docs() -> str:
    lines = [
        "# Settings\n",
        "rcphub reads its settings from environment variables (also listed by "
        "`rcphub settings`). Generated from `rcphub.config`; a test fails when it is out of "
        "date.\n",
        "| variable | default | meaning |",
        "| --- | --- | --- |",
    ]
    for name, (default, text) in SETTINGS_HELP.items():
        lines.append(
            f"| `{name}` | `{default}` | {text} |" if default else f"| `{name}` | | {text} |"
        )
    return "\n".join(lines) + "\n"


def _check(path: Path, expected: str) -> None:
    if os.environ.get("RCPHUB_UPDATE_DOCS"):
        path.write_text(expected, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected, (
        f"{path.name} is out of date: RCPHUB_UPDATE_DOCS=1 pytest tests/test_docs.py"
    )


def test_cli_docs_are_current():
    _check(DOCS / "cli.md", render_cli_docs())


def test_settings_docs_are_current():
    _check(DOCS / "settings.md", render_settings_docs())


def test_every_command_has_help():
    for path in _commands(main)[1:]:
        command = main
        for name in path:
            command = command.commands[name]
        assert command.help, " ".join(path)
