"""EU Login "Manage my mobile devices" (guide B4): the device list, "Add a mobile device", "Remove"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from automation.pages.base import BasePage, first_visible
from automation.pages.eulogin.add_device import AddDevicePage
from automation.pages.eulogin.enrolment import EnrolmentPage
from automation.pages.eulogin.password import PasswordPage
from automation.pages.eulogin.whoami import WhoamiPage


class DevicesPage(BasePage):
    HEADING = "eulogin.devices.heading"
    ADD = "eulogin.devices.add"
    ROW = "eulogin.devices.row"
    REMOVE = "eulogin.devices.remove"
    REMOVED = "eulogin.devices.removed"
    ready = HEADING

    @property
    def device_names(self) -> list[str]:
        """The registered devices' names, read in one call."""
        names: list[str] = self._locator(self.ROW).evaluate_all(
            "rows => rows.map(row => (row.querySelector('td')?.innerText || '').trim())")
        return [name for name in names if name]

    def add_device(self) -> AddDevicePage | WhoamiPage | PasswordPage:
        """"Add a mobile device": its form; or, with a device already registered, EU Login's sign-in
        (step 1, or step 2 for the remembered user), which wants that device first (EC-APP)."""
        self._require(self.ADD).click()
        form, whoami, password = self._page(AddDevicePage), self._page(WhoamiPage), self._page(PasswordPage)
        reached = first_visible(self.page, {"form": form.name_field, "whoami": whoami.email_field,
                                            "password": password.password_field}, self.timeout_ms,
                                self.screen)
        chosen: AddDevicePage | WhoamiPage | PasswordPage = \
            form if reached == "form" else whoami if reached == "whoami" else password
        return chosen.wait_until_loaded()

    def remove(self, device: str) -> Self:
        self._require(self.REMOVE, device=device).click()
        self._wait_for(self.REMOVED)
        return self

    def wait_for_phone(self, enrolment: EnrolmentPage, timeout_s: float, show: Callable[[int], None]) -> Self:
        """The QR code shown by `enrolment` until the phone registers; back on this list afterwards."""
        enrolment.wait_for_phone(timeout_s, show, type(self))
        return self.wait_until_loaded()
