"""What the commands share: the account they act for, its secrets, and the people and mailboxes
some steps need. Imports nothing heavy, so `tracesctl --help` stays fast."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from automation.errors import ConfigError

if TYPE_CHECKING:
    from automation.config import AccountConfig, Settings
    from automation.factors import Factor
    from automation.mailbox import Mailbox
    from automation.secrets import Secret

MAILBOX_CHOICES = ("imap", "prompt", "offline-portal")  # automation.mailbox.MAILBOXES, without importing it


def pick_account(settings: Settings, name: str | None) -> AccountConfig:
    from automation.config import load_accounts, select_accounts

    accounts = load_accounts(settings)
    if name is None:
        if len(accounts) != 1:
            raise ConfigError(f"the accounts file has {len(accounts)} accounts: choose one with --account "
                              f"({', '.join(sorted(accounts))})")
        return next(iter(accounts.values()))
    return select_accounts(accounts, [name])[0]


def signing_in(settings: Settings, name: str | None) -> tuple[AccountConfig, Secret, Factor]:
    """The account, its password and its second factor: every input checked before a browser starts."""
    from automation.factors import build_factor

    account = pick_account(settings, name)
    return account, account.password(os.environ), build_factor(account, os.environ)


def need_a_person(for_what: str) -> None:
    """Fail before anything is sent when a step needs someone at the keyboard and nobody is there."""
    if not sys.stdin.isatty():
        raise ConfigError(f"a person is needed at a terminal for {for_what}, and standard input is not one")


def chosen_mailbox(args: argparse.Namespace, settings: Settings) -> Mailbox:
    from automation.mailbox import open_mailbox

    kind = args.mailbox or ("imap" if os.environ.get("TRACESCTL_IMAP_HOST") else "prompt")
    if kind == "prompt" and args.apply:
        need_a_person("pasting the e-mail's link (or set TRACESCTL_IMAP_* and use --mailbox imap)")
    return open_mailbox(kind, settings.base_url, os.environ)
