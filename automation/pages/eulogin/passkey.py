"""The "Security Key or Trusted Platform" screen: the browser's authenticator answers by itself."""

from __future__ import annotations

from playwright.sync_api import Locator

from automation.pages.base import BasePage


class PasskeyPage(BasePage):
    @property
    def heading(self) -> Locator:
        return self._locator("eulogin.passkey.heading")

    @property
    def refusal(self) -> Locator:
        return self._locator("eulogin.passkey.refused")
