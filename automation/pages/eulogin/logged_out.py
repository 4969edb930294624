"""EU Login after sign-out: "You have logged out of EU Login"; before it, when a service started the
logout, perhaps a question ("You are about to be logged out of EU Login." / "Log me out")."""

from __future__ import annotations

from typing import Self

from automation.pages.base import BasePage, first_visible


class LoggedOutPage(BasePage):
    HEADING = "eulogin.logged_out.heading"
    CONFIRM = "eulogin.logout_confirm.log_me_out"
    ready = HEADING

    def wait_until_loaded(self) -> Self:
        """The logged-out page; a confirmation on the way (OE-AUTH's mock: a logout started by a service
        may ask) is answered "Log me out", as the person asked the toolkit to sign out."""
        reached = first_visible(self.page, {"out": self._ready_locator(), "ask": self._locator(self.CONFIRM)},
                                self.timeout_ms, self.screen)
        if reached == "ask":
            self._require(self.CONFIRM).click()
            return super().wait_until_loaded()
        return self
