"""The "Security Key or Trusted Platform" screen: the browser's authenticator answers by itself."""

from __future__ import annotations

from playwright.sync_api import Locator

from automation.pages.base import BasePage


class PasskeyPage(BasePage):
    HEADING = "eulogin.passkey.heading"
    REFUSED = "eulogin.passkey.refused"
    ready = HEADING

    @property
    def heading(self) -> Locator:
        return self._locator(self.HEADING)

    @property
    def refusal(self) -> Locator:
        return self._locator(self.REFUSED)
