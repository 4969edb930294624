"""EU Login "Lost your password?": the address, "Send"."""

from __future__ import annotations

from typing import Self

from automation.errors import AccountBlockedError
from automation.pages.base import BasePage, first_visible
from automation.pages.eulogin.new_password import NewPasswordPage


class LostPasswordPage(BasePage):
    EMAIL = "eulogin.reset.email"
    SEND = "eulogin.reset.send"
    SENT = "eulogin.reset.sent"
    REFUSED = NewPasswordPage.REFUSED  # the same alert as on the new-password form
    ready = EMAIL

    def fill_email(self, email: str) -> Self:
        self._require(self.EMAIL).fill(email)
        return self

    def ask_for_link(self, email: str) -> Self:
        """Send the e-mail with the link; returns once EU Login says it was sent. EU Login refuses a
        reset while the account is locked (EUL-HELP): AccountBlockedError with its message."""
        self.fill_email(email)
        self._require(self.SEND).click()
        if first_visible(self.page, {"sent": self._locator(self.SENT), "refused": self._locator(self.REFUSED)},
                         self.timeout_ms, self.screen) == "refused":
            message = (self._locator(self.REFUSED).first.text_content() or "").strip()
            raise AccountBlockedError(f"EU Login refused to send a reset link: {message}")
        return self
