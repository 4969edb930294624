"""EU Login step 1: the e-mail address (form#whoamiForm)."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.errors import UnknownUserError
from automation.pages.base import BasePage, first_visible
from automation.pages.eulogin.password import PasswordPage
from automation.pages.eulogin.signup import RegistrationPage


class WhoamiPage(BasePage):
    USERNAME = "eulogin.whoami.username"
    NEXT = "eulogin.whoami.next"
    CREATE_ACCOUNT = "eulogin.whoami.create_account"
    REFUSED = "eulogin.whoami.refused"
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
        return remembered._page(cls).wait_until_loaded()

    def open(self, eulogin_url: str, locale: str) -> WhoamiPage:
        """EU Login's sign-in page, step 1; when EU Login remembers the last user of this browser it
        opens on step 2, and "Sign in with a different e-mail address?" leads back here."""
        self.page.goto(f"{eulogin_url}/login")
        self._choose_language(self.LANGUAGE, locale)
        remembered = self._page(PasswordPage)
        if first_visible(self.page, {"step1": self.email_field, "step2": remembered.password_field},
                         self.timeout_ms, self.screen) == "step2":
            return WhoamiPage.instead_of(remembered)
        return self

    def labels_seen(self) -> dict[str, str | None]:
        """Read-only (`doctor --probe`): which variant of each of step one's labels the page shows
        now, by catalogue entry; None for one it does not show (drift)."""
        return {key: self.catalog.variant_found(self.page, key) for key in (self.USERNAME, self.NEXT)}

    def describe(self, key: str) -> str:
        return self.catalog.describe(key)

    def enter_email(self, email: str) -> Self:
        self.email_field.fill(email)
        return self

    def next(self) -> PasswordPage:
        """"Next": the password step; an address EU Login does not know is refused here (EC-ITB)."""
        self._require(self.NEXT).click()  # auto-waits until the button is enabled by the page's script
        step2 = self._page(PasswordPage)
        if first_visible(self.page, {"step2": step2.password_field, "refused": self._locator(self.REFUSED)},
                         self.timeout_ms, self.screen) == "refused":
            message = (self._locator(self.REFUSED).first.text_content() or "").strip()
            raise UnknownUserError(f"EU Login does not know this e-mail address: {message}")
        return step2.wait_until_loaded()

    def create_account(self) -> RegistrationPage:
        """The "Create an account" link (guide A1)."""
        self._require(self.CREATE_ACCOUNT).click()
        return self._page(RegistrationPage).wait_until_loaded()
