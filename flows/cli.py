"""tracesctl: the command line, on click. This module is the group; the commands live in small
modules (cli_traces, cli_account, cli_keepalive, cli_guide) and import Playwright only when they
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

import click

from automation.errors import ExitCode
from flows.cli_account import cmd_accounts_reset_password, devices, enroll, signup
from flows.cli_guide import demo, guide, guide_check, portal, stub
from flows.cli_keepalive import accounts, keepalive
from flows.cli_run import Outcome, shared_options
from flows.cli_traces import approve, audit, login, request_access

__all__ = ["cli", "cmd_accounts_reset_password", "entry", "main"]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tracesctl")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"tracesctl {_version()}")
        ctx.exit(0)


@click.group("tracesctl", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
             help="Drive EU Login and TRACES NT: create an EU Login account, register a second factor, sign in, "
             "keep accounts alive, request operator access, approve users, check the guide against the UI; and run "
             "the offline portal that stands in for both. The shared options go before the command or after it.")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="print the version and exit")
@shared_options
def cli() -> None:
    pass


for command in (login, enroll, devices, signup, keepalive, accounts, request_access, approve, audit, guide_check,
                portal, guide, demo, stub):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run tracesctl and return its exit code (every TracesctlError mapped to its own). `--help` and
    `--version` end in SystemExit(0), as before."""
    from automation.cancel import interruptible

    with interruptible():
        try:
            result = cli.main(args=list(argv) if argv is not None else None, prog_name="tracesctl",
                              standalone_mode=False)
        except click.exceptions.ClickException as exc:  # a usage error: click's message on one line, exit 2
            print(usage_error_line(exc), file=sys.stderr)
            return exc.exit_code
        except click.exceptions.Abort:  # Ctrl-C at one of click's own prompts
            print("tracesctl: interrupted", file=sys.stderr)
            return ExitCode.INTERRUPTED
    if isinstance(result, Outcome):
        return result.code
    raise SystemExit(result or 0)  # --help, --version: click has printed them


def usage_error_line(exc: click.exceptions.ClickException) -> str:
    """click's message as tracesctl's one line (click prints the usage, a hint and the error on three),
    naming the help to read; a value echoed in it is shown, not obeyed."""
    from automation.terminal import shown

    ctx = getattr(exc, "ctx", None)
    hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    return f"tracesctl: error: {shown(exc.format_message())}{hint}"


def entry() -> None:
    """The `tracesctl` program: main()'s exit code for the shell."""
    try:
        code = main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    if code in (ExitCode.INTERRUPTED, ExitCode.TERMINATED):
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
