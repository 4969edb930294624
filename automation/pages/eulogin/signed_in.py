"""EU Login after a direct sign-in ("Successful login"), the header's account menu, and sign-out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage

if TYPE_CHECKING:
    from automation.pages.eulogin.my_account import MyAccountPage


class SignedInPage(BasePage):
    @property
    def heading(self) -> Locator:
        return self._locator("eulogin.success.heading")

    def wait_until_loaded(self) -> Self:
        self._wait_for("eulogin.success.heading")
        return self

    def open_my_account(self) -> MyAccountPage:
        from automation.pages.eulogin.my_account import MyAccountPage

        self._locator("eulogin.header.user_menu").click()
        self._locator("eulogin.header.my_account").click()
        return MyAccountPage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()

    def log_out(self) -> LoggedOutPage:
        self._locator("eulogin.header.user_menu").click()
        self._locator("eulogin.header.logout").click()
        return LoggedOutPage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()


class LoggedOutPage(BasePage):
    @property
    def heading(self) -> Locator:
        return self._locator("eulogin.logged_out.heading")

    def wait_until_loaded(self) -> Self:
        self._wait_for("eulogin.logged_out.heading")
        return self
