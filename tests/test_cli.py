"""The `rcphub` command on both databases: output, JSON identical to the API, errors."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from rcphub.cli import main


@pytest.fixture
def run(loaded_database):
    url = loaded_database.settings.resolved_database_url
    data_dir = str(loaded_database.settings.data_dir)  # its file store, not ./var

    def invoke(*args: str):
        return CliRunner().invoke(
            main, ["--database-url", url, "--data-dir", data_dir, *args], catch_exceptions=False
        )

    return invoke


def test_process_show_json_is_the_api_json(run, client):
    result = run("process", "show", "bali-process", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output) == client.get("/api/v1/processes/bali-process").json()


def test_country_show_json_is_the_api_json(run, client):
    result = run("country", "show", "PER", "--json", "--lang", "ru")
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert payload == client.get("/api/v1/states/PER?lang=ru").json()
    assert payload["name"] == "Перу"
    assert {"process": "process:sacm-csm", "role": "member"}.items() <= next(
        m for m in payload["memberships"] if m["process"] == "process:sacm-csm"
    ).items()


def test_processes_list(run):
    result = run("processes", "list", "--kind", "rcp")
    assert result.exit_code == 0
    assert "midsa" in result.output
    assert "budapest-process" not in result.output  # an inter-regional forum
    data = json.loads(run("processes", "list", "--json").output)
    assert data["total"] == 42


def test_text_output_in_a_language(run):
    result = run("process", "show", "midsa", "--lang", "fr")
    assert result.exit_code == 0
    assert "Dialogue sur la migration pour l'Afrique australe" in result.output
    assert "Afrique du Sud" in result.output


def test_meetings_list(run):
    result = run("meetings", "list", "--series", "grcp", "--json")
    meetings = json.loads(result.output)["meetings"]
    assert [m["id"] for m in meetings][3] == "grcp-2013"


def test_unknown_ids_exit_non_zero_with_a_suggestion(run):
    result = run("process", "show", "prague")
    assert result.exit_code != 0
    assert "prague-process" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = run("country", "show", "Perou")
    assert result.exit_code != 0
    assert "error:" in result.output


def test_load_twice_changes_nothing(fresh_database):
    url = fresh_database.settings.resolved_database_url
    data_dir = str(fresh_database.settings.data_dir)
    first = CliRunner().invoke(
        main, ["--database-url", url, "--data-dir", data_dir, "load", "--json"]
    )
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["changed"] is True
    second = CliRunner().invoke(
        main, ["--database-url", url, "--data-dir", data_dir, "load", "--json"]
    )
    assert json.loads(second.output)["changed"] is False


def test_help_lists_every_command():
    result = subprocess.run(
        [sys.executable, "-m", "rcphub", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("serve", "load", "processes", "process", "country", "meetings"):
        assert command in result.stdout


def test_bad_database_url_is_a_message_not_a_traceback(tmp_path):
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    data_dir = str(tmp_path)
    result = CliRunner().invoke(
        main, ["--database-url", url, "--data-dir", data_dir, "processes", "list"]
    )
    assert result.exit_code != 0
    assert "error: cannot use" in result.output
    assert "Traceback" not in result.output


def test_the_data_directory_is_the_same_from_any_directory(tmp_path, monkeypatch):
    from rcphub.config import Settings

    monkeypatch.delenv("RCPHUB_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    seen = set()
    for here in (tmp_path, tmp_path / "elsewhere"):
        here.mkdir(exist_ok=True)
        monkeypatch.chdir(here)
        seen.add(Settings().data_dir)
    assert seen == {tmp_path / "share" / "rcphub"}
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Settings().data_dir == tmp_path / "home" / ".local" / "share" / "rcphub"
    monkeypatch.setenv("RCPHUB_DATA_DIR", str(tmp_path / "chosen"))
    assert Settings().data_dir == tmp_path / "chosen"


def _command_modules():  # type: ignore[no-untyped-def]
    import importlib
    import pkgutil

    import rcphub.cli

    return [
        importlib.import_module(f"rcphub.cli.{info.name}")
        for info in pkgutil.iter_modules(rcphub.cli.__path__)
    ]


def _tree(command):  # type: ignore[no-untyped-def]
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _tree(sub)


def test_commands_are_added_one_way_from_one_list():
    """``main`` holds exactly ``COMMANDS``, and every command a module of ``rcphub.cli``
    defines is in that list or under a group of it: none is added elsewhere, none is forgotten."""
    from rcphub.cli import COMMANDS

    assert main.commands == {command.name: command for command in COMMANDS}
    assert len(COMMANDS) == len(main.commands), "two commands of one name in COMMANDS"
    registered = {id(c) for command in COMMANDS for c in _tree(command)}
    modules = _command_modules()
    assert {m.__name__.rsplit(".", 1)[1] for m in modules} >= {"support", "registry", "search"}
    defined = [
        f"{module.__name__}.{name}"
        for module in modules
        for name, value in vars(module).items()
        if isinstance(value, click.Command) and value is not main and id(value) not in registered
    ]
    assert defined == []


def test_emit_prints_the_api_json_or_the_text(capsys):
    from pydantic import BaseModel

    from rcphub.cli.support import emit

    class Found(BaseModel):
        id: int
        name: str

    emit(Found(id=1, name="Перу"), True, "unused")
    emit(Found(id=2, name="x"), True, "unused", indent=None)
    emit({"names": {"en": "Peru", "es": "Perú"}}, True, "unused", lang="es")
    emit({"total": 2}, False, lambda data: click.echo(f"{data['total']} found"))
    emit({"total": 2}, False, "two\nlines")
    out = capsys.readouterr().out
    assert out.startswith('{\n  "id": 1,\n  "name": "Перу"\n}\n{"id": 2, "name": "x"}\n')
    assert '"name": "Perú"' in out
    assert out.endswith("2 found\ntwo\nlines\n")
