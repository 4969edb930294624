"""EU Login after a direct sign-in ("Successful login"), with the header's account menu."""

from __future__ import annotations

from typing import Self

from automation.pages.base import BasePage
from automation.pages.eulogin.logged_out import LoggedOutPage
from automation.pages.eulogin.my_account import MyAccountPage


class SignedInPage(BasePage):
    HEADING = "eulogin.success.heading"
    USER_MENU = "eulogin.header.user_menu"
    MY_ACCOUNT = "eulogin.header.my_account"
    LOGOUT = "eulogin.header.logout"
    ready = HEADING

    def open(self, eulogin_url: str) -> Self:
        """EU Login's own page with a live session (single sign-on): "Successful login"."""
        self.page.goto(f"{eulogin_url}/login")
        return self.wait_until_loaded()

    def open_user_menu(self) -> Self:
        """The symbol beside the name (guide B2). The real menu opens on hover (a click hovers
        first); a menu that toggles on click is left open when it is open already."""
        if not self._locator(self.MY_ACCOUNT).is_visible():
            gear = self._require(self.USER_MENU)
            gear.hover()  # EC-AGM: the menu appears when the mouse moves over the gear
            if not self._locator(self.MY_ACCOUNT).is_visible():
                gear.click()  # a menu that opens on a click
        return self

    def open_my_account(self) -> MyAccountPage:
        self.open_user_menu()._require(self.MY_ACCOUNT).click()
        return self._page(MyAccountPage).wait_until_loaded()

    def log_out(self) -> LoggedOutPage:
        self.open_user_menu()._require(self.LOGOUT).click()
        return self._page(LoggedOutPage).wait_until_loaded()
