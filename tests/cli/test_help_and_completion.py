"""Issue 22: `tracesctl help CMD`, the exit codes in `--help`, `--dry-run` as the default's name, and
shell completion of account names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from automation.errors import ExitCode
from flows.cli.main import EXIT_SUMMARY, main

ROOT = Path(__file__).resolve().parents[2]


def test_help_cmd_is_the_commands_own_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help", "accounts", "status"]) == 0
    assert capsys.readouterr().out.startswith("Usage: tracesctl accounts status [OPTIONS]")
    assert main(["help", "no-such-command"]) == 2
    assert "no command 'no-such-command'" in capsys.readouterr().err


def test_the_help_lists_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert set(EXIT_SUMMARY) == {int(code) for code in ExitCode}
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "Exit codes:" in out and "  16  a password's outcome is unknown" in out


@pytest.mark.parametrize("command", [["approve", "--policy", "missing.toml"], ["request-access", "--operator", "x"],
                                     ["enroll", "passkey"], ["signup"]])
def test_dry_run_is_accepted_as_the_defaults_name(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main([*command, "--dry-run"])
    assert "no such option" not in capsys.readouterr().err and code == 2  # stopped by the missing files instead


def test_account_names_complete_from_the_accounts_file(tmp_path: Path) -> None:
    (tmp_path / "accounts.toml").write_text('[accounts.lars]\nemail = "l@x.se"\n[accounts.lena]\nemail = "e@x.se"\n'
                                            '[accounts.anna]\nemail = "a@x.se"\n')
    tracesctl = str(Path(sys.executable).parent / "tracesctl")
    env = {**os.environ, "_TRACESCTL_COMPLETE": "bash_complete", "COMP_WORDS": "tracesctl login --account l",
           "COMP_CWORD": "3"}
    run = subprocess.run([tracesctl], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30, check=False)
    assert [line.split(",", 1)[1] for line in run.stdout.splitlines()] == ["lars", "lena"], run.stdout + run.stderr


def test_stub_help_lists_the_presets_and_every_variant(capsys: pytest.CaptureFixture[str]) -> None:
    from automation.stub.variants import choices

    with pytest.raises(SystemExit):
        main(["stub", "--help"])
    out = capsys.readouterr().out
    assert "--preset [newest|older]" in out
    variants = out.split("Variants (", 1)[1]
    for name, values in choices().items():
        spelt = " | ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in values)
        assert f"  {name}: {spelt} (default " in variants, name


def test_stub_presets_name_the_control_apis_and_the_old_name_still_works() -> None:
    from flows.cli.guide import PresetChoice
    from flows.cli.stub import chosen_variants

    assert chosen_variants("newest", []) == {"preset": "newest_official"}
    assert chosen_variants("older", []) == {"preset": "older"}
    assert PresetChoice(("newest", "older")).convert("newest_official", None, None) == "newest"


def test_every_apply_has_dry_run_as_its_defaults_name() -> None:
    """Every command that changes something (found by walking the whole command tree, so a new one
    is held to it too) takes --dry-run, and the dry run is its default."""
    import click

    from flows.cli.main import cli

    def commands(group: click.Group, ctx: click.Context) -> list[click.Command]:
        found: list[click.Command] = []
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None
            found += commands(command, click.Context(command, parent=ctx)) if isinstance(command, click.Group) \
                else [command]
        return found

    applying = [(command.name, param) for command in commands(cli, click.Context(cli))
                for param in command.params if "--apply" in param.opts]
    assert len(applying) >= 7, applying  # enroll passkey and app, devices remove, signup, reset-password, ...
    for name, param in applying:
        assert isinstance(param, click.Option) and param.secondary_opts == ["--dry-run"], name
        assert param.default is False, name
