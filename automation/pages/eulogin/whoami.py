"""EU Login step 1: the e-mail address (form#whoamiForm)."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage
from automation.pages.eulogin.password import PasswordPage


class WhoamiPage(BasePage):
    @property
    def email_field(self) -> Locator:
        return self._locator("eulogin.whoami.username")

    @property
    def next_button(self) -> Locator:
        return self._locator("eulogin.whoami.next")

    def wait_until_loaded(self) -> Self:
        # The body starts hidden and a script shows it: wait for visibility, not for load.
        self._wait_for("eulogin.whoami.username")
        return self

    def open(self, eulogin_url: str, locale: str) -> Self:
        self.page.goto(f"{eulogin_url}/login")
        self._choose_language("eulogin.language.selector", locale)
        return self.wait_until_loaded()

    def enter_email(self, email: str) -> Self:
        self.email_field.fill(email)
        return self

    def next(self) -> PasswordPage:
        self.next_button.click()  # auto-waits until the button is enabled by the page's script
        return PasswordPage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()
