"""Reset a blocked or forgotten EU Login password by e-mail (the way back from guide I2).

EU Login: e-mail address, Next, "Lost your password?", the e-mail's link, a new password that
meets the rule (generated), stored in a 0600 file; the keep-alive hold on the account is released.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from structlog.contextvars import bound_contextvars

from automation.catalog import Catalog
from automation.config import AccountConfig, Settings, under_home
from automation.errors import ConfigError
from automation.files import write_private
from automation.ledger import Ledger, utc_now
from automation.log import get_logger
from automation.mailbox import Mailbox, show_mail_countdown
from automation.pages.base import portal_errors_as_transient
from automation.pages.eulogin.new_password import NewPasswordPage
from automation.pages.eulogin.whoami import WhoamiPage
from automation.passwords import generate_password
from automation.secret_sources import keyring_set
from automation.secrets import Secret
from automation.vocabulary import HoldKind

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)


def stored_password_file(settings: Settings, account: AccountConfig) -> Path:
    return account.password_file or under_home(settings.home, "passwords", f"{account.name}.txt")


def source_holds(account: AccountConfig, environ: Mapping[str, str], password: Secret) -> bool:
    """Whether the account's configured password source now gives `password`: only then may the
    hold go, or the next run would spend one more attempt on the old password."""
    try:
        return account.password(environ, fresh=True) == password
    except ConfigError:
        return False


def reset_password(page: Page, settings: Settings, account: AccountConfig, mailbox: Mailbox,
                   ledger: Ledger, apply: bool = True, environ: Mapping[str, str] | None = None,
                   same_identity: Sequence[AccountConfig] = ()) -> Path | None:
    """Returns the 0600 file that now holds the new password; None for a dry run, which stops on
    "Lost your password?" with the address filled in, before EU Login sends anything. The identity's
    hold goes only when every account name of it (`same_identity`, with `account`) reads the new one."""
    catalog = Catalog(account.locale)
    timeout, grace = settings.timeout_ms, settings.drift_grace_ms
    with bound_contextvars(flow="reset_password", account=account.name), portal_errors_as_transient(page):
        before = mailbox.count(account.email)
        password_page = WhoamiPage(page, catalog, timeout, grace_ms=grace).open(settings.eulogin_url, account.locale) \
            .enter_email(account.email).next()
        lost_password = password_page.lost_password()
        if not apply:
            lost_password.fill_email(account.email)
            log.info("dry run: the address is filled, no e-mail asked for")
            return None
        lost_password.ask_for_link(account.email)
        link = mailbox.wait_for_link(account.email, before, settings.mail_wait_s, on_tick=show_mail_countdown)
        new_password = generate_password()
        NewPasswordPage(page, catalog, timeout, grace_ms=grace).open(link).choose(new_password)
        target = stored_password_file(settings, account)
        write_private(target, new_password.reveal() + "\n")
        source = account.password_source
        if source is not None and source.kind == "keyring":
            keyring_set(source.keyring_service, source.keyring_user, new_password)
        readers = {a.name: a for a in (account, *same_identity)}.values()
        every_name_reads_it = all(source_holds(reader, os.environ if environ is None else environ, new_password)
                                  for reader in readers)
        released = every_name_reads_it and ledger.release_hold(account.identity, utc_now(), account=account.name)
        if not every_name_reads_it and source is not None and source.kind == "command":
            wait_for_the_source(ledger, account, target)
        log.info("password reset", stored_in=str(target), hold_released=released)
        return target


def wait_for_the_source(ledger: Ledger, account: AccountConfig, handover: Path) -> None:
    """The toolkit cannot write where a command reads: whatever held the identity becomes a reset
    hold, which lets a sign-in through only once the command gives the password in `handover`."""
    now = utc_now()
    ledger.release_hold(account.identity, now, by="tracesctl: password reset, waiting for its source",
                        account=account.name)
    ledger.place_hold(account.identity, f"the hand-over file {handover} has it; store it where "
                      f"{account.password_where} reads it", now, HoldKind.RESET, account.name)
