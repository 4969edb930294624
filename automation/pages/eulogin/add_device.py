"""EU Login "Add a mobile device" (guide B4-B5): the name, the 4-digit PIN twice, "Skicka"."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.errors import DeviceRefusedError
from automation.pages.base import BasePage, first_visible
from automation.pages.eulogin.enrolment import EnrolmentPage
from automation.secrets import Secret


class AddDevicePage(BasePage):
    NAME = "eulogin.add_device.name"
    PIN = "eulogin.add_device.pin"
    PIN_CONFIRM = "eulogin.add_device.pin_confirm"
    SUBMIT = "eulogin.add_device.submit"
    REFUSED = "eulogin.add_device.refused"
    ready = NAME

    @property
    def name_field(self) -> Locator:
        return self._locator(self.NAME)

    def fill_name(self, name: str) -> Self:
        self._require(self.NAME).fill(name)
        return self

    def submit(self, pin: Secret) -> EnrolmentPage:
        """The PIN twice, "Skicka" (guide B5): the QR code page; the portal's refusal raised."""
        self._require(self.PIN).fill(pin.reveal())
        self._require(self.PIN_CONFIRM).fill(pin.reveal())
        self._require(self.SUBMIT).click()
        enrolment = self._page(EnrolmentPage)
        outcome = first_visible(self.page, {"qr": enrolment.qr_image, "refused": self._locator(self.REFUSED)},
                                self.timeout_ms, self.screen)
        if outcome == "refused":
            message = self._locator(self.REFUSED).first.inner_text().strip()
            raise DeviceRefusedError(f"EU Login refused the device: {message}")
        return enrolment
