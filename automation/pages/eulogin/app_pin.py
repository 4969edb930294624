"""EU Login app, PIN code: a waiting screen that moves on once the phone approves."""

from __future__ import annotations

from playwright.sync_api import Locator

from automation.pages.base import BasePage


class AppPinPage(BasePage):
    HEADING = "eulogin.app_pin.heading"
    EXPIRED = "eulogin.app_pin.expired"
    DENIED = "eulogin.app_pin.denied"
    ready = HEADING

    @property
    def heading(self) -> Locator:
        return self._locator(self.HEADING)

    @property
    def expired(self) -> Locator:
        return self._locator(self.EXPIRED)

    @property
    def denied(self) -> Locator:
        return self._locator(self.DENIED)
