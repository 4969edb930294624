"""What the commands share: the account they act for, its secrets, its hold, and the people and
mailboxes some steps need. Imports nothing heavy, so `tracesctl --help` stays fast."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from automation.errors import ConfigError
from automation.terminal import shown

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from automation.config import AccountConfig, Settings
    from automation.factors import Factor
    from automation.mailbox import Mailbox
    from automation.secrets import Secret
    from flows.jobs.progress import Progress

MAILBOX_CHOICES = ("imap", "prompt", "offline-portal")  # automation.mailbox.MAILBOXES, without importing it

# The environment as the entry point read it (with .env): secrets are read from here, because the
# process environment loses its secret variables before Playwright starts.
_environment: dict[str, str] = {}


def remember_environment(environ: Mapping[str, str]) -> None:
    _environment.clear()
    _environment.update(environ)


def environment() -> Mapping[str, str]:
    return _environment if _environment else os.environ


def pick_account(settings: Settings, name: str | None) -> AccountConfig:
    from automation.config import load_accounts, select_accounts

    accounts = load_accounts(settings)
    if name is None:
        if len(accounts) != 1:
            raise ConfigError(f"the accounts file has {len(accounts)} accounts: choose one with --account "
                              f"({', '.join(sorted(accounts))})")
        return next(iter(accounts.values()))
    return select_accounts(accounts, [name])[0]


def siblings(settings: Settings, account: AccountConfig) -> list[AccountConfig]:
    """The other account names of the same EU Login identity (they share its five attempts)."""
    from automation.config import load_accounts

    return [other for other in load_accounts(settings).values()
            if other.identity == account.identity and other.name != account.name]


def account_to_sign_in(settings: Settings, name: str | None, ignore_hold: bool = False) -> AccountConfig:
    """The account a command will sign in as, after everything that can stop it before a browser:
    its hold (exit 3 naming the release command), a person needed at a terminal."""
    from automation.holds import adopt_legacy_holds, check_hold
    from automation.ledger import Ledger

    account = pick_account(settings, name)
    adopt_legacy_holds(Ledger.open(settings), [account, *siblings(settings, account)])
    if account.needs_terminal:
        need_a_person(f"typing account {account.name!r}'s one-time password (otp_source = \"prompt\")")
    if ignore_hold:
        confirm_ignoring_hold(settings, account)
    else:
        from automation.config import under_home

        hold = check_hold(Ledger.open(settings), account, environment(),
                          under_home(settings.home, "passwords", f"{account.name}.txt"))
        if hold is not None:
            from flows.cli.output import say_last

            say_last("note", f"{account.email} is held as {hold.kind} since {hold.placed_at:%Y-%m-%d}; trying it, "
                     "a successful sign-in releases the hold", level="info")
    return account


def confirm_ignoring_hold(settings: Settings, account: AccountConfig) -> None:
    """`--ignore-hold`: a person at a terminal says so, knowing it may cost one of the five attempts."""
    from automation.holds import active_hold, hold_reason
    from automation.ledger import Ledger

    hold = active_hold(Ledger.open(settings), account)
    if hold is None:
        return
    need_a_person("confirming --ignore-hold")
    print(f"{account.email} is on hold ({hold.kind}) since {hold.placed_at:%Y-%m-%d}: {shown(hold_reason(hold))}",
          file=sys.stderr)
    answer = input(f"A wrong password counts towards EU Login's five. Type the e-mail ({account.email}) to try: ")
    if answer.strip().casefold() != account.identity:
        raise ConfigError("not confirmed: nothing was sent")


def signing_in(settings: Settings, name: str | None,
               ignore_hold: bool = False) -> tuple[AccountConfig, Secret, Factor]:
    """The account, its password and its second factor: every input checked before a browser starts."""
    from automation.errors import about_account
    from automation.factors import build_factor

    account = account_to_sign_in(settings, name, ignore_hold)
    with about_account(account.name, account.identity):
        return account, account.password(environment()), build_factor(account, environment())


@contextmanager
def identity_locked(settings: Settings, account: AccountConfig) -> Iterator[None]:
    """The EU Login identity's lock (automation.locks), for the whole of a command that signs in:
    two overlapping commands, or two hosts on one database, cannot both post a password."""
    from automation.errors import IdentityBusyError
    from automation.locks import account_lock

    with account_lock(settings, account.identity) as lock:
        if not lock.try_acquire():
            raise IdentityBusyError(f"another tracesctl run is signing in as {account.email} right now; nothing "
                                    "was sent. Run again when it has finished", account=account.name,
                                    identity=account.identity)
        yield


@contextmanager
def signed_in_page(settings: Settings, account: AccountConfig, locale: str | None = None) -> Iterator[Page]:
    """A browser page for a command that signs in as `account`, under the identity's lock. A
    refusal holds the account's identity first, before the failure's artifacts are written (which
    may fail themselves). Every tracesctl error from inside is about `account` (automation.errors)."""
    from automation.browser import account_page
    from automation.errors import about_account
    from automation.holds import outcome_kept
    from automation.ledger import Ledger

    ledger = Ledger.open(settings)
    with about_account(account.name, account.identity), identity_locked(settings, account), \
            account_page(settings, account.name, locale or account.locale) as page, outcome_kept(ledger, account):
        yield page


def need_a_person(for_what: str) -> None:
    """Fail before anything is sent when a step needs someone at the keyboard and nobody is there."""
    if not sys.stdin.isatty():
        raise ConfigError(f"a person is needed at a terminal for {for_what}, and standard input is not one")


def chosen_mailbox(settings: Settings, mailbox: str | None, *, apply: bool) -> Mailbox:
    """--mailbox as given, else IMAP when it is configured, else a person pasting the link."""
    from automation.mailbox import open_mailbox

    kind = mailbox or ("imap" if settings.imap_host else "prompt")
    if kind == "prompt" and apply:
        need_a_person("pasting the e-mail's link (or set TRACESCTL_IMAP_* and use --mailbox imap)")
    return open_mailbox(kind, settings.base_url, environment())


def progress_display(description: str, *, as_json: bool) -> Progress | None:
    """A rich bar on automation.console's shared console (log lines print above it) when a person
    watches stderr: a terminal, no --json, no -q, and the log not switched to JSON lines; else None,
    so that stderr off a terminal stays JSON lines only."""
    from automation.console import ProgressBar, console
    from flows.cli.output import machine_reader, shared_in_force

    if as_json or shared_in_force().quiet or machine_reader() or not console().is_terminal:
        return None
    return ProgressBar(description)
