"""tracesctl: the command line, on click. This module is the group; the commands live in small
modules (flows.cli.traces, account, keepalive, guide, setup) and import Playwright only when they
run, so `--help` stays fast.

Exit codes (automation.errors.ExitCode, README: Exit codes): 0 success; 1 unexpected failure, or
`guide diff` found differences; 2 bad input or configuration; 3 credentials or second factor
refused, or an account on hold; 4 app approval timed out; 5 account inactive; 6 account suspended;
7 portal unavailable after retries; 8 an account is near inactivity (accounts status); 9-11
request-access outcomes; 12 not an administrator; 13 some approval decisions failed; 20 guide
drift; 21 toolkit drift; 22 the guide check could not run; 23 a portal capture differs from the
offline portal; 130 interrupted (SIGINT); 143 terminated (SIGTERM).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

from flows.cli.options import Outcome, shared_options

__all__ = ["COMMANDS", "cli", "entry", "main"]

# Every command: the module that defines it (as the command's name, with _ for -) and its line in
# `tracesctl --help`. A module is imported only when its command runs or is looked up (its own help,
# completing its name), so `tracesctl --help` and `--version` import click and this table only.
COMMANDS: dict[str, tuple[str, str]] = {
    "accounts": ("flows.cli.keepalive", "the accounts' keep-alive status, and holds"),
    "approve": ("flows.cli.traces", "approve pending TRACES user requests by policy, make administrators, "
                "unsuspend users"),
    "audit": ("flows.cli.traces", "export the audit trail of every change made in a portal"),
    "demo": ("flows.cli.guide", "the main journey against the offline portal: a new account, its app, every "
             "second factor"),
    "devices": ("flows.cli.account", "the account's EU Login app devices: list them, remove one"),
    "doctor": ("flows.cli.setup", "check the setup, read-only: settings and their sources, accounts, secrets, "
               "Chromium, the portal"),
    "enroll": ("flows.cli.account", "register a second factor for an account"),
    "guide": ("flows.cli.guide", "new editions of a guide: import a draft, diff two editions"),
    "guide-check": ("flows.cli.guide", "walk the guide against the UI, read-only, and report what drifted"),
    "help": ("flows.cli.main:help_command", "show a command's help: tracesctl help accounts status"),
    "init": ("flows.cli.setup", "write a commented accounts.toml and .env (0600) to fill in"),
    "keepalive": ("flows.cli.keepalive", "sign each account in to TRACES and out again, so it never goes inactive"),
    "login": ("flows.cli.traces", "sign in to TRACES NT and report where it landed"),
    "portal": ("flows.cli.guide", "learn from a live run: capture the screens (scrubbed), compare with the "
               "offline portal"),
    "request-access": ("flows.cli.traces", "get the TRACES operator role for a company: request authorisation "
                       "or create it"),
    "signup": ("flows.cli.account", "create an EU Login account: the form, the captcha (a person), the e-mail, "
               "the password"),
    "stub": ("flows.cli.guide", "serve the offline portal (loopback only) until interrupted"),
}


class LazyGroup(click.Group):
    """The commands of COMMANDS, each imported when it is looked up (click's documented pattern for a
    large command line: "Lazily Loading Subcommands")."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        from importlib import import_module

        where, summary = COMMANDS[cmd_name]
        module, _, attribute = where.partition(":")  # "module:attribute" where the name is not the command's
        command = getattr(import_module(module), attribute or cmd_name.replace("-", "_"))
        assert isinstance(command, click.Command), f"{module} has no command {cmd_name!r}"
        command.short_help = summary  # one source for the line, whichever way click shows it
        return command

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Completing a command's name: the names and lines from the table, importing no command
        (click's own completion looks each match up, which would import its module)."""
        from click.shell_completion import CompletionItem

        names = [CompletionItem(name, help=summary) for name, (_, summary) in sorted(COMMANDS.items())
                 if name.startswith(incomplete)]
        return names + click.Command.shell_complete(self, ctx, incomplete)  # the group's own options

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their lines, from the table: listing them imports none of them."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, summary) in sorted(COMMANDS.items())])


def _version() -> str:
    # The constant, not importlib.metadata: reading the installed metadata costs more than all of
    # click (bench/bench_help.py), and the two are the same by pyproject.toml's [tool.hatch.version].
    from flows import __version__
    return __version__


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"tracesctl {_version()}")
        ctx.exit(0)


# Each exit code in a few words, for `--help` (README: Exit codes has the full meaning).
EXIT_SUMMARY: dict[int, str] = {
    0: "success", 1: "unexpected failure (guide diff: the guides differ)", 2: "bad input or configuration",
    3: "refused by EU Login, or the account is on hold", 4: "nobody approved in time", 5: "TRACES: inactive",
    6: "TRACES: suspended", 7: "portal unavailable after retries", 8: "an account is near inactivity",
    9: "request-access: the operator is under another authority", 10: "request-access: several operators match",
    11: "request-access: the operator is not in TRACES", 12: "approve: not an administrator",
    13: "approve: some decisions failed", 14: "the ledger could not record a password attempt (nothing sent)",
    15: "another run is signing in as the same identity (nothing sent)",
    16: "a password's outcome is unknown: the account is on hold until a person checks it",
    17: "approve --apply-plan: the plan was refused", 20: "guide-check: guide drift", 21: "toolkit drift",
    22: "guide-check could not run", 23: "portal compare: the capture differs", 130: "interrupted (Ctrl-C)",
    143: "terminated (SIGTERM)",
}
EPILOG = "\b\nExit codes:\n" + "\n".join(f"  {code:>3}  {text}" for code, text in EXIT_SUMMARY.items())


@click.group("tracesctl", cls=LazyGroup, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
             help="Drive EU Login and TRACES NT: create an EU Login account, register a second factor, sign in, "
             "keep accounts alive, request operator access, approve users, check the guide against the UI; and run "
             "the offline portal that stands in for both. The shared options go before the command or after it.")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="print the version and exit")
@shared_options
def cli() -> None:
    pass


@click.command("help", short_help="show a command's help: tracesctl help accounts status",
               help="Show the help of a command: `tracesctl help keepalive`, `tracesctl help accounts status`.")
@click.argument("command", nargs=-1)
@click.pass_context
def help_command(ctx: click.Context, command: tuple[str, ...]) -> Outcome:
    target: click.Command = cli
    shown = ctx.find_root()  # "tracesctl"; each name below adds its context, so Usage reads the whole path
    for name in command:
        found = target.get_command(shown, name) if isinstance(target, click.Group) else None
        if found is None:
            raise click.UsageError(f"no command {' '.join(command)!r}; `tracesctl --help` lists them")
        target = found
        shown = click.Context(target, info_name=name, parent=shown)
    click.echo(target.get_help(shown))
    return Outcome(0)




def main(argv: Sequence[str] | None = None) -> int:
    """Run tracesctl and return its exit code (every TracesctlError mapped to its own). `--help` and
    `--version` end in SystemExit(0), as before."""
    args = list(argv) if argv is not None else sys.argv[1:]
    # Signals are taken over by the command once it runs (flows.cli.run.run_command), not here:
    # --help, --version and completion import neither the signal module nor the error tree.
    try:
        result = cli.main(args=args, prog_name="tracesctl", standalone_mode=False)
    except click.exceptions.ClickException as exc:  # a usage error: click's message on one line, exit 2
        from flows.cli.output import say_last
        from flows.cli.run import print_json

        message = usage_error_message(exc)
        say_last("error", message, exc.exit_code)
        if json_asked(exc, args):  # its reader parses stdout: the same answer as any failure's
            print_json({"ok": False, "exit_code": exc.exit_code, "error": message, "account": None})
        return exc.exit_code
    except click.exceptions.Abort:  # Ctrl-C at one of click's own prompts
        from automation.errors import ExitCode
        from flows.cli.output import say_last

        say_last("interrupted", "at a prompt; nothing was done", ExitCode.INTERRUPTED, level="warning")
        return ExitCode.INTERRUPTED
    if isinstance(result, Outcome):
        return result.code
    raise SystemExit(result or 0)  # --help, --version: click has printed them


def json_asked(exc: click.exceptions.ClickException, args: list[str]) -> bool:
    """Whether a command that failed to parse was asked for JSON (`--json`, or `--format json`),
    read from the words as given: click stopped before it had the options' values."""
    words = args[:args.index("--")] if "--" in args else args
    asked = "--json" in words or "--format=json" in words or any(
        word == "--format" and following == "json" for word, following in zip(words, words[1:], strict=False))
    ctx = getattr(exc, "ctx", None)
    if not asked or ctx is None:
        return asked
    # Only a command that answers JSON: `tracesctl --json login` is not one asking for it.
    return any(opt in ("--json", "--format") for param in ctx.command.params for opt in param.opts)


def usage_error_message(exc: click.exceptions.ClickException) -> str:
    """click's message as tracesctl's one line (click prints the usage, a hint and the error on three),
    naming the help to read; a value echoed in it is escaped by not obeyed."""
    ctx = getattr(exc, "ctx", None)
    hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    return f"{exc.format_message()}{hint}"


# ExitCode.INTERRUPTED and TERMINATED as numbers, so that --help does not import the error tree (a
# test holds them equal).
SIGNAL_EXIT_CODES = (130, 143)


def entry() -> None:
    """The `tracesctl` program: main()'s exit code for the shell."""
    try:
        code = main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    if code in SIGNAL_EXIT_CODES:
        # Every browser, driver and worker process has been closed and waited for by now. When the
        # signal also reached Playwright's driver (Ctrl-C goes to the whole process group), the
        # interpreter's final teardown of the sync API's greenlet and event loop can crash (SIGSEGV,
        # "malloc(): unsorted double linked list corrupted"), turning a clean stop into 139 or 134:
        # there is nothing left to tear down, so skip it.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
