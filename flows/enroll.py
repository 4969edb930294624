"""Register a passkey with EU Login (My Account → security keys) and save it to a 0600 file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from structlog.contextvars import bound_contextvars

from automation.catalog import Catalog
from automation.config import AccountConfig, Settings
from automation.errors import MethodNotAllowedError
from automation.factors.base import SecondFactorStep
from automation.factors.passkey import PasskeyCredential, VirtualAuthenticator, save_passkey
from automation.factors.password import PasswordOnly
from automation.log import get_logger
from automation.pages.base import portal_errors_as_transient, watch_server_errors
from automation.pages.eulogin.signed_in import SignedInPage
from automation.pages.eulogin.whoami import WhoamiPage
from automation.secrets import Secret

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)


def enroll_passkey(page: Page, settings: Settings, account: AccountConfig, password: Secret,
                   key_name: str = "tracesctl") -> PasskeyCredential:
    """Sign in to EU Login directly, add a security key held by a virtual authenticator, save it."""
    catalog = Catalog(account.locale)
    timeout = settings.timeout_ms
    watch_server_errors(page)
    with bound_contextvars(flow="enroll_passkey", account=account.name), portal_errors_as_transient(page):
        authenticator = VirtualAuthenticator(page)
        whoami = WhoamiPage(page, catalog, timeout).open(settings.eulogin_url, account.locale)
        password_page = whoami.enter_email(account.email).next()
        password_page.enter_password(password).choose_method("password").sign_in()
        signed_in = SignedInPage(page, catalog, timeout)
        # EU Login's own pages accept the password alone; the factor's wait maps refusals to errors.
        done = {"signed_in": signed_in.heading}
        PasswordOnly().complete(SecondFactorStep(page, catalog, timeout, password_page, done))
        signed_in.open_my_account().open_security_keys().add_security_key(key_name)
        credentials = authenticator.credentials()
        if len(credentials) != 1:
            raise MethodNotAllowedError(f"expected one new credential in the authenticator, found {len(credentials)}")
        save_passkey(account.passkey_file, credentials[0])
        log.info("passkey enrolled", file=str(account.passkey_file))
        return credentials[0]
