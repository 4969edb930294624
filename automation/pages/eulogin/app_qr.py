"""EU Login app, QR code: the app scans the code and shows a one-time password to type in."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage
from automation.secrets import Secret


class AppQrPage(BasePage):
    IMAGE = "eulogin.app_qr.image"
    CODE = "eulogin.app_qr.code"
    SIGN_IN = "eulogin.app_qr.sign_in"
    REFUSED = "eulogin.app_qr.refused"
    ready = CODE

    @property
    def code_field(self) -> Locator:
        return self._locator(self.CODE)

    @property
    def refusal(self) -> Locator:
        return self._locator(self.REFUSED)

    def enter_code(self, code: Secret) -> Self:
        self.code_field.fill(code.reveal())
        return self

    def sign_in(self) -> None:
        self._require(self.SIGN_IN).click()
