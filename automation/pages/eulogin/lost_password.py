"""EU Login "Lost your password?": the address, "Send"."""

from __future__ import annotations

from typing import Self

from automation.pages.base import BasePage


class LostPasswordPage(BasePage):
    EMAIL = "eulogin.reset.email"
    SEND = "eulogin.reset.send"
    SENT = "eulogin.reset.sent"
    ready = EMAIL

    def fill_email(self, email: str) -> Self:
        self._require(self.EMAIL).fill(email)
        return self

    def ask_for_link(self, email: str) -> Self:
        """Send the e-mail with the link; returns once EU Login says it was sent."""
        self.fill_email(email)
        self._require(self.SEND).click()
        self._wait_for(self.SENT)
        return self
