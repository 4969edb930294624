"""EU Login "Lost your password?" and "Choose a new password"."""

from __future__ import annotations

from typing import Self

from automation.pages.base import BasePage, first_visible
from automation.passwords import PASSWORD_RULE, WeakPasswordError, meets_rule
from automation.secrets import Secret


class LostPasswordPage(BasePage):
    def wait_until_loaded(self) -> Self:
        self._wait_for("eulogin.reset.email")
        return self

    def fill_email(self, email: str) -> Self:
        self._locator("eulogin.reset.email").fill(email)
        return self

    def ask_for_link(self, email: str) -> None:
        """Send the e-mail with the link; returns once EU Login says it was sent."""
        self.fill_email(email)
        self._locator("eulogin.reset.send").click()
        self._wait_for("eulogin.reset.sent")


class NewPasswordPage(BasePage):
    def open(self, link: Secret) -> str:
        """Follow the e-mail's link: "form" when it is valid, "invalid" when used or expired."""
        self.page.goto(link.reveal())
        return first_visible(self.page, {"form": self._locator("eulogin.reset.new"),
                                         "invalid": self._locator("eulogin.reset.invalid")}, self.timeout_ms)

    def choose(self, password: Secret) -> str:
        """New password twice, "Submit": "changed", or "refused" with the portal's reason on screen.
        The same form sets the first password of a new account (the sign-up e-mail's link)."""
        if not meets_rule(password.reveal()):  # refused here, before EU Login ever sees it
            raise WeakPasswordError(PASSWORD_RULE)
        self._locator("eulogin.reset.new").fill(password.reveal())
        self._locator("eulogin.reset.confirm").fill(password.reveal())
        self._locator("eulogin.reset.submit").click()
        changed = self._locator("eulogin.reset.done").or_(self._locator("eulogin.signup.done"))
        return first_visible(self.page, {"changed": changed,
                                         "refused": self._locator("eulogin.reset.refused")}, self.timeout_ms)
