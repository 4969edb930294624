"""Sign in to TRACES NT through EU Login, as the guide's sections C1 and H describe."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from structlog.contextvars import bound_contextvars

from automation.catalog import Catalog
from automation.config import AccountConfig, Settings
from automation.errors import (
    AccountInactiveError,
    AccountSuspendedError,
    SessionDroppedError,
)
from automation.factors import Factor, SecondFactorStep
from automation.log import get_logger
from automation.pages.base import first_visible, portal_errors_as_transient, watch_server_errors
from automation.pages.eulogin.whoami import WhoamiPage
from automation.pages.traces.entry import TracesEntryPage
from automation.pages.traces.home import TracesHomePage, landing_markers
from automation.retry import retry_transient
from automation.secrets import Secret

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)


@dataclass(frozen=True)
class SignIn:
    """Where a sign-in landed."""

    account: str
    method: str
    home: TracesHomePage
    single_sign_on: bool
    seconds: float


def sign_in_to_traces(page: Page, settings: Settings, account: AccountConfig, password: Secret,
                      factor: Factor) -> SignIn:
    """TRACES entry → "Log into Traces" → EU Login (unless single sign-on) → TRACES home."""
    catalog = Catalog(account.locale)
    watch_server_errors(page)
    with bound_contextvars(flow="sign_in", account=account.name, method=factor.method):
        factor.prepare(page)
        try:
            return _attempt(page, catalog, settings, account, password, factor)
        finally:
            factor.finish(page)


@retry_transient
def _attempt(page: Page, catalog: Catalog, settings: Settings, account: AccountConfig, password: Secret,
             factor: Factor) -> SignIn:
    started = time.monotonic()
    with portal_errors_as_transient(page):
        return _walk(page, catalog, settings, account, password, factor, started)


def _walk(page: Page, catalog: Catalog, settings: Settings, account: AccountConfig, password: Secret,
          factor: Factor, started: float) -> SignIn:
    timeout = settings.timeout_ms
    entry = TracesEntryPage(page, catalog, timeout).open(settings.traces_url).choose_language(account.locale)
    whoami = WhoamiPage(page, catalog, timeout)
    landed = landing_markers(page, catalog, account.email)
    # A live TRACES session skips the entry page altogether.
    reached = first_visible(page, {"entry": entry.log_in_button, **landed}, timeout)
    if reached == "entry":
        entry.log_in()
        reached = first_visible(page, {"eulogin": whoami.email_field, **landed}, timeout)
    single_sign_on = reached != "eulogin"
    if not single_sign_on:
        log.info("EU Login asks for the account")
        password_page = whoami.wait_until_loaded().enter_email(account.email).next()
        password_page.enter_password(password).choose_method(factor.method).sign_in()
        reached = factor.complete(SecondFactorStep(page, catalog, timeout, password_page, landed))
    if reached == "inactive":
        raise AccountInactiveError(
            f"inactive: {account.email} has not used TRACES for more than 4 months; "
            "ask the competent authority to reactivate it"
        )
    if reached == "suspended":
        raise AccountSuspendedError("suspended: ask an administrator of the operator to unsuspend the user")
    if reached == "auth_failed":
        raise SessionDroppedError("TRACES did not accept the EU Login ticket")
    home = TracesHomePage(page, catalog, timeout, account.email).wait_until_loaded()
    seconds = time.monotonic() - started
    log.info("signed in to TRACES", single_sign_on=single_sign_on, seconds=round(seconds, 2))
    return SignIn(account.name, factor.method, home, single_sign_on, seconds)
