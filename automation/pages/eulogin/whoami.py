"""EU Login step 1: the e-mail address (form#whoamiForm)."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage
from automation.pages.eulogin.password import PasswordPage
from automation.pages.eulogin.signup import RegistrationPage


class WhoamiPage(BasePage):
    USERNAME = "eulogin.whoami.username"
    NEXT = "eulogin.whoami.next"
    CREATE_ACCOUNT = "eulogin.whoami.create_account"
    LANGUAGE = "eulogin.language.selector"
    # The body starts hidden and a script shows it: the field's visibility, not the load event.
    ready = USERNAME

    @property
    def email_field(self) -> Locator:
        return self._locator(self.USERNAME)

    @classmethod
    def instead_of(cls, remembered: PasswordPage) -> WhoamiPage:
        """Step 1 again, from a remembered user's step 2 ("Sign in with a different e-mail address?")."""
        remembered.use_different_email()
        return cls(remembered.page, remembered.catalog, remembered.timeout_ms).wait_until_loaded()

    def open(self, eulogin_url: str, locale: str) -> Self:
        self.page.goto(f"{eulogin_url}/login")
        self._choose_language(self.LANGUAGE, locale)
        return self.wait_until_loaded()

    def enter_email(self, email: str) -> Self:
        self.email_field.fill(email)
        return self

    def next(self) -> PasswordPage:
        self._require(self.NEXT).click()  # auto-waits until the button is enabled by the page's script
        return self._page(PasswordPage).wait_until_loaded()

    def create_account(self) -> RegistrationPage:
        """The "Create an account" link (guide A1)."""
        self._require(self.CREATE_ACCOUNT).click()
        return self._page(RegistrationPage).wait_until_loaded()
