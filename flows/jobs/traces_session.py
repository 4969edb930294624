"""A TRACES session fresh enough to read a status from.

TRACES keeps what a user may do for the whole of a session: "Once the access is validated, the user
must sign in to TRACES again" (TNT-HELP "Getting started"). A session the browser already holds may
have begun before an authority or an administrator acted, so a flow that decides anything from a
status (request-access: already pending or authorised? approve: which operators do I administer?)
signs that session out and signs in anew first. An old session is never trusted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from automation.catalog import Catalog
from automation.config import AccountConfig, Settings
from automation.factors import Factor
from automation.ledger import Ledger
from automation.log import get_logger
from automation.pages.traces.entry import TracesEntryPage
from automation.secrets import Secret
from flows.jobs.signin import SignIn, sign_in_to_traces

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)


def end_existing_session(page: Page, settings: Settings, account: AccountConfig) -> bool:
    """Sign out of a TRACES session the browser holds already (True), or find none (False)."""
    entry = TracesEntryPage(page, Catalog(account.locale), settings.timeout_ms, grace_ms=settings.drift_grace_ms) \
        .open(settings.traces_url) \
        .choose_language(account.locale)
    home = entry.live_session(account.email)
    if home is None:
        return False  # the entry page: no session to distrust
    log.info("a TRACES session from before is open: signing it out, to read statuses from a new one")
    home.log_out()
    return True


def sign_in_afresh(page: Page, settings: Settings, account: AccountConfig, password: Secret,
                   factor: Factor, ledger: Ledger | None = None) -> SignIn:
    """`sign_in_to_traces`, always into a session begun now."""
    end_existing_session(page, settings, account)
    return sign_in_to_traces(page, settings, account, password, factor, ledger)
