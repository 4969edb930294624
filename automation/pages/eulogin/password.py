"""EU Login step 2: password, verification method, "Sign in" (form#loginForm)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage
from automation.secrets import Secret

if TYPE_CHECKING:
    from automation.pages.eulogin.password_reset import LostPasswordPage

METHODS = ("password", "passkey", "app_qr", "app_pin")


class PasswordPage(BasePage):
    @property
    def password_field(self) -> Locator:
        return self._locator("eulogin.password.password")

    @property
    def method_select(self) -> Locator:
        return self._locator("eulogin.password.method")

    @property
    def sign_in_button(self) -> Locator:
        return self._locator("eulogin.password.sign_in")

    @property
    def message(self) -> Locator:
        return self._locator("eulogin.message.any")

    def wait_until_loaded(self) -> Self:
        self._wait_for("eulogin.password.password")
        return self

    def enter_password(self, password: Secret) -> Self:
        self.password_field.fill(password.reveal())
        return self

    def choose_method(self, method: str) -> Self:
        """Choose a verification method by its label: password, passkey, app_qr or app_pin."""
        self.method_select.select_option(label=self.catalog.text(f"eulogin.method.{method}"))
        return self

    def sign_in(self) -> None:
        """Submit. What comes next depends on the method; the second factor's page object waits for it."""
        self.sign_in_button.click()

    def lost_password(self) -> LostPasswordPage:
        from automation.pages.eulogin.password_reset import LostPasswordPage

        self._locator("eulogin.password.lost_password").click()
        return LostPasswordPage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()

    def error(self) -> str | None:
        """Which known refusal the page shows now, if any: wrong_password, blocked, ..."""
        for name in ("blocked", "wrong_password", "stronger_required", "method_unavailable", "expired_request"):
            if self._locator(f"eulogin.message.{name}").first.is_visible():
                return name
        return None
