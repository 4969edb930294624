"""Sign in to TRACES NT through EU Login, as the guide's sections C1 and H describe."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from structlog.contextvars import bound_contextvars

from automation.attempts import PasswordAttempt
from automation.catalog import Catalog
from automation.config import AccountConfig, Settings
from automation.errors import TWO_FACTORS_FOR_TRACES, MethodNotAllowedError
from automation.factors import Factor
from automation.factors.password import PasswordOnly
from automation.ledger import Ledger
from automation.log import get_logger
from automation.pages.base import portal_errors_as_transient
from automation.pages.eulogin.password import PasswordPage
from automation.pages.eulogin.signed_in import SignedInPage
from automation.pages.eulogin.whoami import WhoamiPage
from automation.pages.landing import EuLoginLanding, Landing, TracesLanding
from automation.pages.traces.entry import TracesEntryPage
from automation.pages.traces.home import TracesHomePage
from automation.pages.traces.status import StatusPage
from automation.retry import retry_transient
from automation.secrets import Secret

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)
L = TypeVar("L")


@dataclass(frozen=True)
class SignIn:
    """Where a sign-in landed."""

    account: str
    method: str
    home: TracesHomePage
    single_sign_on: bool
    seconds: float


def sign_in_to_traces(page: Page, settings: Settings, account: AccountConfig, password: Secret,
                      factor: Factor, ledger: Ledger | None = None, ignore_hold: bool = False) -> SignIn:
    """TRACES entry → "Log into Traces" → EU Login (unless single sign-on) → TRACES home.

    The way to EU Login's password step is retried on transient failures; the password post never
    is (automation.attempts: it is recorded before it leaves, and only a confirmed success clears it)."""
    catalog = Catalog(account.locale)
    with bound_contextvars(flow="sign_in", account=account.name, method=factor.method):
        factor.prepare(page)
        try:
            started = time.monotonic()
            landed = _reach_password_step(page, catalog, settings, account)
            after: TracesHomePage | StatusPage
            if isinstance(landed, PasswordPage):
                log.info("EU Login asks for the account")
                attempt = PasswordAttempt(ledger or Ledger.open(settings), account, settings.artifacts_dir,
                                          ignore_hold=ignore_hold)
                after = post_password(page, landed, password, factor, TracesLanding(account.email), attempt)
                single_sign_on = False
            else:
                after, single_sign_on = landed, True
            if isinstance(after, StatusPage):
                raise after.error(account.email)
            seconds = time.monotonic() - started
            log.info("signed in to TRACES", single_sign_on=single_sign_on, seconds=round(seconds, 2))
            return SignIn(account.name, factor.method, after, single_sign_on, seconds)
        finally:
            factor.finish(page)


@retry_transient("signing in to EU Login from TRACES")
def _reach_password_step(page: Page, catalog: Catalog, settings: Settings,
                         account: AccountConfig) -> PasswordPage | TracesHomePage | StatusPage:
    """TRACES' entry to EU Login's step 2 (e-mail entered), or TRACES itself by single sign-on."""
    with portal_errors_as_transient(page):
        entry = TracesEntryPage(page, catalog, settings.timeout_ms, grace_ms=settings.drift_grace_ms) \
            .open(settings.traces_url) \
            .choose_language(account.locale)
        landed = entry.log_in(account.email)
        if isinstance(landed, WhoamiPage | PasswordPage):
            return password_step(landed, account.email)
        return landed


def post_password(page: Page, password_page: PasswordPage, password: Secret, factor: Factor, landing: Landing[L],
                  attempt: PasswordAttempt) -> L:
    """EU Login's "Sign in", once: the attempt is recorded before the post and settled by its answer."""
    with attempt.kept(page), portal_errors_as_transient(page):
        try:
            return password_page.sign_in(password, factor, landing, attempt)
        except MethodNotAllowedError as exc:
            if isinstance(landing, TracesLanding) and factor.method == PasswordOnly.method:
                raise MethodNotAllowedError(f"{TWO_FACTORS_FOR_TRACES} ({exc})") from exc
            raise


def password_step(page: WhoamiPage | PasswordPage, email: str) -> PasswordPage:
    """EU Login's step 2 for `email`: from step 1, or from a remembered user's step 2, which may be
    somebody else's: "Sign in with a different e-mail address?" first, as public scripts do."""
    whoami = page if isinstance(page, WhoamiPage) else WhoamiPage.instead_of(page)
    return whoami.enter_email(email).next()


def sign_in_to_eulogin(page: Page, settings: Settings, account: AccountConfig, password: Secret,
                       ledger: Ledger | None = None) -> SignedInPage:
    """EU Login directly (guide B1): its own pages accept the password alone."""
    whoami = WhoamiPage(page, Catalog(account.locale), settings.timeout_ms, grace_ms=settings.drift_grace_ms) \
        .open(settings.eulogin_url, account.locale)
    password_page = whoami.enter_email(account.email).next()
    attempt = PasswordAttempt(ledger or Ledger.open(settings), account, settings.artifacts_dir)
    return post_password(page, password_page, password, PasswordOnly(), EuLoginLanding(), attempt)
