"""EU Login "Manage my Security Keys and Trusted Platforms": add a passkey."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.errors import MethodNotAllowedError
from automation.pages.base import BasePage, first_visible


class SecurityKeysPage(BasePage):
    @property
    def heading(self) -> Locator:
        return self._locator("eulogin.security_keys.heading")

    def wait_until_loaded(self) -> Self:
        self._wait_for("eulogin.security_keys.heading")
        return self

    def fill_name(self, name: str) -> Self:
        self._locator("eulogin.security_keys.name").fill(name)
        return self

    def add_security_key(self, name: str) -> Self:
        """Register the browser's authenticator under `name`; returns once the portal confirmed it."""
        self.fill_name(name)
        self._locator("eulogin.security_keys.add").click()
        outcome = first_visible(
            self.page,
            {
                "registered": self._locator("eulogin.security_keys.registered"),
                "failed": self._locator("eulogin.security_keys.failed"),
            },
            self.timeout_ms,
        )
        if outcome == "failed":
            raise MethodNotAllowedError("EU Login refused to register the security key")
        return self
