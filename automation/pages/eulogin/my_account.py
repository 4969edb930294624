"""EU Login "My Account" and its menu."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage
from automation.pages.eulogin.devices import DevicesPage
from automation.pages.eulogin.security_keys import SecurityKeysPage


class MyAccountPage(BasePage):
    @property
    def heading(self) -> Locator:
        return self._locator("eulogin.my_account.heading")

    def wait_until_loaded(self) -> Self:
        self._wait_for("eulogin.my_account.heading")
        return self

    def open_security_keys(self) -> SecurityKeysPage:
        self._locator("eulogin.my_account.security_keys").click()
        return SecurityKeysPage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()

    def open_mobile_devices(self) -> DevicesPage:
        self._locator("eulogin.my_account.mobile_devices").click()
        return DevicesPage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()
