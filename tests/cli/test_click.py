"""The command line's conventions, in-process with click's CliRunner: shared options before or after
the command, bound to their variables and listed in every command's help; --version; completion;
-q/-v; NO_COLOR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from flows.cli.main import cli, main

SHARED = ("--env-file", "--accounts", "--base-url", "--headed", "--verbose", "--quiet", "--no-color", "--wide",
          "--output")


def every_command(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    # Through list_commands/get_command: the top-level group loads its commands lazily (flows.cli.main.COMMANDS).
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found += every_command(command, (*path, name))
        else:
            found.append((*path, name))
    return found


# `init` writes the files the shared options would read (a newcomer's first command needs none of them);
# `help` only prints.
WITHOUT_SHARED_OPTIONS = {("init",), ("help",)}


@pytest.mark.parametrize("command", [c for c in every_command(cli) if c not in WITHOUT_SHARED_OPTIONS], ids=" ".join)
def test_every_command_lists_the_shared_options_in_its_help(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    for option in SHARED:
        assert option in result.output, (command, option)


def test_shared_options_work_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`tracesctl login --accounts x.toml` reads x.toml (before: "unrecognized arguments")."""
    missing = tmp_path / "x.toml"
    assert main(["login", "--accounts", str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err


def test_an_option_after_the_command_wins_over_the_same_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    assert main(["--accounts", str(first), "accounts", "status", "--accounts", str(second)]) == 2
    err = capsys.readouterr().err
    assert str(second) in err and str(first) not in err


def test_options_are_bound_to_their_environment_variables() -> None:
    result = CliRunner().invoke(cli, ["login", "--help"])
    assert "TRACESCTL_ACCOUNTS" in result.output and "TRACESCTL_BASE_URL" in result.output


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("tracesctl ")


def test_bash_completion_script() -> None:
    """README: `eval "$(_TRACESCTL_COMPLETE=bash_source tracesctl)"`."""
    run = subprocess.run([sys.executable, "-c", "from flows.cli.main import entry; entry()"], capture_output=True,
                         text=True, env={**os.environ, "_TRACESCTL_COMPLETE": "bash_source"}, timeout=30, check=False)
    assert run.returncode == 0, run.stderr
    assert "_tracesctl_completion" in run.stdout


def test_quiet_drops_info_lines_and_verbose_shows_debug(tmp_path: Path) -> None:
    """-q: the pruning's info line is not logged; without it, it is (JSON logs, not a terminal)."""
    def run(*flags: str) -> str:
        artifacts = tmp_path / "artifacts"
        (artifacts / "20000101T000000.000000Z-lars").mkdir(parents=True, exist_ok=True)
        done = subprocess.run([sys.executable, "-m", "flows", *flags, "audit"], capture_output=True, text=True,
                              timeout=60, check=False,
                              env={**os.environ, "TRACESCTL_HOME": str(tmp_path / "home"),
                                   "TRACESCTL_ARTIFACTS": str(artifacts)})
        assert done.returncode == 0, done.stderr
        return done.stderr

    assert "old artifacts deleted" in run()
    assert "old artifacts deleted" not in run("-q")
    assert '"event": "settings read"' in run("-v")
    assert '"event": "settings read"' not in run()


@pytest.mark.parametrize("flag_or_env", [["--no-color"], "NO_COLOR"])
def test_no_color_turns_the_console_renderer_colourless(
    flag_or_env: list[str] | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import structlog

    monkeypatch.setenv("TRACESCTL_LOG_FORMAT", "console")
    args = ["audit"]
    if isinstance(flag_or_env, str):
        monkeypatch.setenv(flag_or_env, "1")
    else:
        args = [*args, *flag_or_env]
    assert main(args) == 0
    renderer = structlog.get_config()["processors"][-1]
    assert isinstance(renderer, structlog.dev.ConsoleRenderer)
    assert "\x1b[" not in renderer(None, "info", {"event": "x", "level": "info"})  # type: ignore[arg-type]


def test_a_usage_error_is_exit_2_with_clicks_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["login", "--no-such-option"]) == 2
    assert "No such option" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["login", "--json", "--no-such-option"],
                                     ["keepalive", "--parallel", "x", "--json"],
                                     ["audit", "--format", "json", "--excel"], ["audit", "--format=json", "--bad"]])
def test_a_usage_error_on_a_json_command_answers_json_on_stdout(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Its reader parses stdout: a usage error answers as any failure does, and stderr keeps its line."""
    assert main(command) == 2
    out, err = capsys.readouterr()
    answer = json.loads(out)
    assert answer == {"ok": False, "exit_code": 2, "error": answer["error"], "account": None}
    assert answer["error"] and answer["error"].split(" (see")[0] in err


@pytest.mark.parametrize("command", [["login", "--no-such-option"], ["--json", "login"], ["login", "--", "--json"]])
def test_a_usage_error_without_json_prints_nothing_on_stdout(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(command) == 2
    assert capsys.readouterr().out == ""
