"""EU Login "My Account" and its menu."""

from __future__ import annotations

from automation.pages.base import BasePage
from automation.pages.eulogin.devices import DevicesPage
from automation.pages.eulogin.security_keys import SecurityKeysPage


class MyAccountPage(BasePage):
    HEADING = "eulogin.my_account.heading"
    SECURITY_KEYS = "eulogin.my_account.security_keys"
    MOBILE_DEVICES = "eulogin.my_account.mobile_devices"
    ready = HEADING

    def open_security_keys(self) -> SecurityKeysPage:
        self._require(self.SECURITY_KEYS).click()
        return self._page(SecurityKeysPage).wait_until_loaded()

    def open_mobile_devices(self) -> DevicesPage:
        self._require(self.MOBILE_DEVICES).click()
        return self._page(DevicesPage).wait_until_loaded()
