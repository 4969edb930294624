"""EU Login app, QR code: the app scans the code and shows a one-time password to type in."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage
from automation.secrets import Secret


class AppQrPage(BasePage):
    @property
    def qr_image(self) -> Locator:
        return self._locator("eulogin.app_qr.image")

    @property
    def code_field(self) -> Locator:
        return self._locator("eulogin.app_qr.code")

    @property
    def refusal(self) -> Locator:
        return self._locator("eulogin.app_qr.refused")

    def wait_until_loaded(self) -> Self:
        self._wait_for("eulogin.app_qr.code")
        return self

    def enter_code(self, code: Secret) -> Self:
        self.code_field.fill(code.reveal())
        return self

    def sign_in(self) -> None:
        self._locator("eulogin.app_qr.sign_in").click()
