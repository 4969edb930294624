"""What every command shares on the command line: the shared options (before or after the command),
the settings they make, and how a command's end becomes an exit code and one line on stderr.
Imports nothing heavy, so `tracesctl --help` stays fast."""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import click

from automation.errors import ConfigError, ExitCode, TracesctlError
from automation.terminal import json_shown
from flows.cli.common import environment, remember_environment
from flows.cli.options import SHARED_KEY, Outcome
from flows.cli.output import SharedOptions, remember_settings, remember_shared, say_last, settings_in_force

if TYPE_CHECKING:
    from datetime import datetime

    from automation.cancel import Interrupted
    from automation.config import Settings

P = ParamSpec("P")
F = TypeVar("F", bound=Callable[..., Any])
Run = Callable[["Settings"], int]  # a command's work, once its settings are read


ENV_FILE_NAMES: dict[str, Path] = {}  # the variables this run took from the env file, and which file
LOADED_ENV_FILE: list[Path] = []  # the env file this run read, if any (`doctor` checks its mode)


def account_option() -> Callable[[F], F]:
    """--account NAME: the account of the accounts file a command acts for, completed by the shell."""
    return click.option("--account", "account_name", shell_complete=complete_account,
                        help="account name from the accounts file (needed when it has several)")


def columns_option(header: Sequence[str]) -> Callable[[F], F]:
    """`--columns a,b,c` for a command whose table has `header`: checked while the command line is
    read (an unknown name is a usage error, exit 2, before anything is sent), handed to the command
    as `columns`, the chosen headers in order (None: every column)."""

    def check(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        from flows.reports.table import chosen_columns

        try:
            return chosen_columns(value, header)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None

    return click.option("--columns", metavar="A,B,...", callback=check,
                        help=f"only these columns, in this order: {', '.join(header)} (any case, - for a space)")


def complete_account(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of account names: the accounts file's [accounts.NAME] tables, read as TOML
    and nothing more (no settings checked, no secret read: completion must be quick and quiet)."""
    import tomllib

    from automation.config import discovered

    shared = ctx.find_root().meta.get(SHARED_KEY, {})
    path = shared.get("accounts") or os.environ.get("TRACESCTL_ACCOUNTS") or discovered("accounts.toml", os.environ)
    try:
        with Path(path).expanduser().open("rb") as source:
            names = tomllib.load(source).get("accounts", {})
    except (OSError, tomllib.TOMLDecodeError):
        return []
    return sorted(name for name in names if isinstance(name, str) and name.startswith(incomplete))


def shared_given() -> SharedOptions:
    """The shared options of the command being run, wherever on the command line they were given."""
    given = dict(click.get_current_context().find_root().meta.get(SHARED_KEY, {}))
    for name in ("env_file", "accounts"):  # paths, given as words (flows.cli.options imports no pathlib)
        if given.get(name) is not None:
            given[name] = Path(given[name])
    return dataclasses.replace(SharedOptions(), **given)


def with_settings(command: Callable[Concatenate[Settings, P], int]) -> Callable[P, Outcome]:
    """A command's callback from its function: click passes the command's own options as the
    function's arguments (typed there, so mypy checks every use), and the function gets the run's
    Settings first, read from the shared options, the environment and `.env`. What ends it becomes
    the exit code and one line on stderr (run_command). A command asked for JSON (`--json` as
    `as_json`, or audit's `--format json` as `export_format`) answers a failure with JSON on stdout too."""

    @functools.wraps(command)
    def callback(*args: P.args, **kwargs: P.kwargs) -> Outcome:
        answers_json = bool(kwargs.get("as_json")) or kwargs.get("export_format") == "json"
        return Outcome(run_command(lambda settings: command(settings, *args, **kwargs), shared_given(),
                                   answers_json=answers_json))

    return callback


def print_json(data: object) -> None:
    """A command's --json output: one document on stdout, keys in the order the command wrote them."""
    import json

    print(json_shown(json.dumps(data, indent=2, ensure_ascii=False)))


def log_level(shared: SharedOptions, configured: str) -> str:
    if shared.verbose:
        return "debug"
    if shared.quiet:
        return "warning" if shared.quiet == 1 else "error"
    return configured


def colours_wanted(shared: SharedOptions) -> bool:
    """NO_COLOR (no-color.org): set to anything but empty means no colour, as --no-color does."""
    return not (shared.no_color or environment().get("NO_COLOR", ""))


def load_settings(shared: SharedOptions) -> Settings:
    from automation import log
    from automation.config import Settings, check_display, discovered

    ENV_FILE_NAMES.clear()  # a run in process after another (the tests): only this run's file counts
    LOADED_ENV_FILE.clear()
    env_file = discovered(".env", os.environ) if shared.env_file == Path(".env") else shared.env_file
    if env_file.exists() or env_file.is_symlink() or env_file != Path(".env"):
        load_env_file(env_file)
        LOADED_ENV_FILE.append(env_file)
    # Flags win over the environment; they are merged here, never written back into os.environ.
    flags = {"TRACESCTL_ACCOUNTS": str(shared.accounts) if shared.accounts else None,
             "TRACESCTL_BASE_URL": shared.base_url, "TRACESCTL_HEADED": "1" if shared.headed else None}
    environ = {**os.environ, **{name: value for name, value in flags.items() if value is not None}}
    settings = Settings.from_env(environ)
    # The command line's own check (a library caller may have a display of its own): before any browser.
    check_display(settings.headed and settings.browser_ws_endpoint is None, environ)
    remember_environment(environ)
    from automation.console import set_colors

    set_colors(colours_wanted(shared))
    from automation.terminal import set_full_width

    set_full_width(shared.wide)
    log.configure(settings.log_format, log_level(shared, settings.log_level), colors=colours_wanted(shared))
    log.get_logger(__name__).debug("settings read", base_url=settings.base_url, home=str(settings.home),
                                   accounts=str(settings.accounts_file))
    return settings


def load_env_file(path: Path) -> None:
    """`.env` (or --env-file) into the environment, below what the environment has already (the
    environment beats the file): a regular UTF-8 file without NUL bytes, else one line and exit 2."""
    import io

    from dotenv import dotenv_values

    from automation.files import read_input_text

    text = read_input_text(path, "env file", ConfigError)
    for name, value in dotenv_values(stream=io.StringIO(text)).items():
        if value is not None and name not in os.environ:
            os.environ[name] = value
            ENV_FILE_NAMES[name] = path  # `doctor` says where each setting came from


def parse_since(value: str | None) -> datetime | None:
    """--since: a date (midnight UTC) or an ISO 8601 time; a time without a zone is UTC."""
    from datetime import UTC, datetime

    if not value:
        return None
    try:
        since = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--since must be a date (YYYY-MM-DD) or ISO 8601 time, not {value!r}") from None
    return since if since.tzinfo else since.replace(tzinfo=UTC)


def run_command(run: Run, shared: SharedOptions, *, answers_json: bool = False) -> int:
    """Run one command; map what ends it to its exit code and one line on stderr (and, for a command
    asked for JSON, a JSON answer on stdout)."""
    from automation.cancel import interruptible

    with interruptible():  # SIGINT and SIGTERM end the command as Interrupted, for the whole run
        return _run_command(run, shared, answers_json=answers_json)


def _run_command(run: Run, shared: SharedOptions, *, answers_json: bool) -> int:
    from automation.cancel import Interrupted, cancel_requested, interruption

    try:
        try:
            remember_settings(None)
            remember_shared(shared)
            settings = load_settings(shared)
            remember_settings(settings)
            prune_old_artifacts(settings)
            return run(settings)
        finally:
            from automation.console import stop_live_displays

            stop_live_displays()  # a bar or countdown a failure or a signal left running
            sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
    except BrokenPipeError:
        return quiet_after_broken_pipe()
    except Interrupted as exc:
        return report_interrupted(exc)
    except KeyboardInterrupt:
        return report_interrupted(interruption())
    except TracesctlError as exc:
        if cancel_requested.is_set():  # the browser closed under the flow: the signal is the cause
            return report_interrupted(interruption_behind(exc))
        from automation.secrets import redact

        message = f"{redact(str(exc))}{remedy(exc, settings_in_force())}"
        say_last("error", message, exc.exit_code)
        if answers_json:  # a --json command's reader gets a JSON answer on stdout too
            # `account`: the account the error is about (automation.errors), None when it concerns none.
            print_json({"ok": False, "exit_code": int(exc.exit_code), "error": message, "account": exc.account})
        return exc.exit_code
    except Exception as exc:
        if cancel_requested.is_set():  # e.g. Playwright's TargetClosedError while a signal unwinds the flow
            return report_interrupted(interruption_behind(exc))
        raise




def remedy(error: TracesctlError, settings: Settings | None) -> str:
    """What to do about an error whose message is the portal's or the network's, not ours: a refused
    connection means nothing listens at the base URL (on loopback: the offline portal is not running)."""
    if error.exit_code != ExitCode.PORTAL_UNAVAILABLE or settings is None:
        return ""
    text = str(error)
    from automation.error_words import NET_WORDS

    # Chromium's net:: code, the socket's words (ECONNREFUSED), or the words automation.error_words
    # gives the net:: code in a message it rewrote.
    if not any(words in text for words in ("ERR_CONNECTION_REFUSED", "Connection refused",
                                           NET_WORDS["ERR_CONNECTION_REFUSED"])):
        return ""
    from urllib.parse import urlsplit

    loopback = (urlsplit(settings.base_url).hostname or "") in ("localhost", "127.0.0.1", "::1")
    question = "is the offline portal running (`tracesctl stub`)?" if loopback else "is the portal reachable from here?"
    return f"; {question} base URL: {settings.base_url} (TRACESCTL_BASE_URL)"


def interruption_behind(error: BaseException) -> Interrupted:
    """The Interrupted a clean-up error replaced (a `finally` closing a browser the signal killed),
    with what it said was left undone; else a new one."""
    from automation.cancel import Interrupted, interruption

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, Interrupted):
            return seen
        seen = seen.__context__
    return interruption()


def report_interrupted(exc: Interrupted) -> int:
    undone = exc.undone or "the command stopped before it finished; nothing after that point was done"
    say_last(f"interrupted ({exc.signal_name})", undone, exc.exit_code, level="warning")
    return exc.exit_code


def quiet_after_broken_pipe() -> int:
    """The reader closed stdout (`| head`): end quietly and successfully, as `git log | head` does.
    Python's docs (signal, "Note on SIGPIPE"): point stdout at devnull so the interpreter's final
    flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (a test's capture): nothing to redirect
        pass
    return ExitCode.OK


def prune_old_artifacts(settings: Settings) -> None:
    from automation.artifacts import prune_artifacts

    prune_artifacts(settings.artifacts_dir, settings.artifacts_keep_days)
