"""EU Login app, PIN code: a waiting screen that moves on once the phone approves."""

from __future__ import annotations

from playwright.sync_api import Locator

from automation.pages.base import BasePage


class AppPinPage(BasePage):
    @property
    def heading(self) -> Locator:
        return self._locator("eulogin.app_pin.heading")

    @property
    def expired(self) -> Locator:
        return self._locator("eulogin.app_pin.expired")

    @property
    def denied(self) -> Locator:
        return self._locator("eulogin.app_pin.denied")
