"""The options every command takes, before the command or after it. `tracesctl --help`, `--version`
and completion import this module and click only: no pathlib, no dataclasses, no error tree (each
costs more start-up than the whole of this file; bench/bench_help.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
SHARED_KEY = "tracesctl.shared"  # the root context's meta: the shared options given on the command line


class Outcome:
    """What a command's callback returns, so main() tells a command's exit code from click's own
    (--help, --version). A plain class: a dataclass would import dataclasses on the way to --help."""

    __slots__ = ("code",)

    def __init__(self, code: int) -> None:
        self.code = code


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """A shared option given on the command line, before the command or after it: the later one wins.
    Only the command line is remembered: the option's variable (TRACESCTL_BASE_URL, ...) is read by
    Settings.from_env, so a variable that click fills in after the command can never override a flag
    given before it (the flag beats the environment, which beats `.env`)."""
    shared = ctx.find_root().meta.setdefault(SHARED_KEY, {})
    source = ctx.get_parameter_source(param.name or "")
    if source is click.core.ParameterSource.COMMANDLINE and param.name:
        shared[param.name] = value


def _remember_output(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """`-o wide` is `--wide`: one setting, whichever spelling gave it."""
    if value == "wide" and ctx.get_parameter_source(param.name or "") is click.core.ParameterSource.COMMANDLINE:
        ctx.find_root().meta.setdefault(SHARED_KEY, {})["wide"] = True


def shared_options(f: F) -> F:
    """The options every command takes, before the command or after it, each listed in its help."""
    options = [
        click.option("--env-file", type=click.Path(), default=".env", expose_value=False,
                     callback=_remember, help="read settings from this file (default: .env, when it exists)"),
        click.option("--accounts", type=click.Path(), envvar="TRACESCTL_ACCOUNTS", show_envvar=True,
                     expose_value=False, callback=_remember, help="accounts file (default: accounts.toml)"),
        click.option("--base-url", envvar="TRACESCTL_BASE_URL", show_envvar=True, expose_value=False,
                     callback=_remember, help="portal base URL (default: the real portals)"),
        click.option("--headed", is_flag=True, envvar="TRACESCTL_HEADED", show_envvar=True, expose_value=False,
                     callback=_remember, help="show the browser window (needs a display)"),
        click.option("-v", "--verbose", count=True, expose_value=False, callback=_remember,
                     help="more log lines (debug); overrides TRACESCTL_LOG_LEVEL"),
        click.option("-q", "--quiet", count=True, expose_value=False, callback=_remember,
                     help="fewer log lines: -q warnings and errors, -qq errors only"),
        click.option("--no-color", is_flag=True, expose_value=False, callback=_remember,
                     help="no colours on the terminal (also when NO_COLOR is set)"),
        click.option("--wide", is_flag=True, expose_value=False, callback=_remember,
                     help="tables keep every cell whole (on a terminal the last column is cut to fit)"),
        click.option("-o", "--output", type=click.Choice(("wide",)), expose_value=False, callback=_remember_output,
                     help="-o wide: the same as --wide (kubectl's spelling)"),
    ]
    for option in reversed(options):
        f = option(f)
    return f
