"""Start-up: `tracesctl --help`, `--version` and shell completion import click and the command tree only
(issue 21, section 5): no structlog, rich, asyncio, greenlet, Playwright or tenacity, which made
`--help` cost about 0.3 s of CPU (automation.cancel pulled them in through automation.cooperative)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ["structlog", "rich", "asyncio", "greenlet", "playwright", "tenacity", "automation.log"]
PROBE = f"""
import json, sys
sys.argv = ["tracesctl", *sys.argv[1:]]
from flows.cli.main import entry
try:
    entry()
except SystemExit:
    pass
print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.stderr)
"""


@pytest.mark.parametrize("args, env", [
    (["--help"], {}),
    (["--version"], {}),
    (["keepalive", "--help"], {}),
    ([], {"_TRACESCTL_COMPLETE": "bash_complete", "COMP_WORDS": "tracesctl keep", "COMP_CWORD": "1"}),
])
def test_help_version_and_completion_import_no_heavy_module(args: list[str], env: dict[str, str]) -> None:
    """Each of them, in a fresh interpreter: none of the heavy modules is imported."""
    run = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60,
                         env={**os.environ, **env}, check=False)
    assert json.loads(run.stderr.strip().splitlines()[-1]) == [], run.stderr


LIGHT = ["flows", "flows.cli", "flows.cli.main", "flows.cli.options"]
# Standard modules click itself does without, each costing more than tracesctl's own modules
# (pathlib with urllib.parse and ipaddress; signal's enums; dataclasses).
COSTLY_STANDARD = ["pathlib", "dataclasses", "signal"]
OWN_PROBE = PROBE.replace(f"{HEAVY!r} if m in sys.modules", "sorted(sys.modules) if m.startswith(('automation', "
                          f"'flows')) and m not in {LIGHT!r} or m in {COSTLY_STANDARD!r}")


@pytest.mark.parametrize("args, env", [
    (["--help"], {}),
    (["--version"], {}),
    ([], {"_TRACESCTL_COMPLETE": "bash_complete", "COMP_WORDS": "tracesctl keep", "COMP_CWORD": "1"}),
])
def test_help_version_and_completion_of_a_name_import_only_the_table(args: list[str], env: dict[str, str]) -> None:
    """bench/bench_help.py's three cases (at most 5x a bare `python -c pass`): the group, its table and
    the shared options; no command's module, no error tree, none of the costly standard modules.
    Completing a command's name reads the table (its lines too) and imports no command."""
    run = subprocess.run([sys.executable, "-c", OWN_PROBE, *args], capture_output=True, text=True, timeout=60,
                         env={**os.environ, **env}, check=False)
    assert json.loads(run.stderr.strip().splitlines()[-1]) == [], run.stderr
    if env:
        assert "keepalive" in run.stdout, run.stdout


def test_the_signal_exit_codes_are_exitcodes() -> None:
    """flows.cli.main names them as numbers (importing ExitCode would cost --help the error tree)."""
    from automation.errors import ExitCode
    from flows.cli.main import SIGNAL_EXIT_CODES

    assert SIGNAL_EXIT_CODES == (ExitCode.INTERRUPTED, ExitCode.TERMINATED)


def test_the_command_table_names_every_command_with_its_own_line() -> None:
    """flows.cli.main.COMMANDS lists the commands without importing them: each entry's module defines the
    command, and the line shown is the command's own short help (else its help), so the table cannot
    drift from the commands."""
    import importlib

    import click

    from flows.cli.main import COMMANDS

    for name, (where, summary) in COMMANDS.items():
        module, _, attribute = where.partition(":")
        command = getattr(importlib.import_module(module), attribute or name.replace("-", "_"))
        assert isinstance(command, click.Command) and command.name == name
        assert summary == (command.short_help or command.help), name


def test_the_version_is_the_installed_packages() -> None:
    """`--version` reads flows.__version__ (cheap); the installed metadata says the same."""
    from importlib.metadata import version

    from flows import __version__
    assert __version__ == version("tracesctl")
