"""EU Login "Manage my Security Keys and Trusted Platforms": add a passkey."""

from __future__ import annotations

from typing import Self

from automation.errors import MethodNotAllowedError
from automation.pages.base import BasePage, first_visible


class SecurityKeysPage(BasePage):
    HEADING = "eulogin.security_keys.heading"
    NAME = "eulogin.security_keys.name"
    ADD = "eulogin.security_keys.add"
    SUBMIT = "eulogin.security_keys.submit"
    REGISTERED = "eulogin.security_keys.registered"
    FAILED = "eulogin.security_keys.failed"
    ready = HEADING

    def fill_name(self, name: str) -> Self:
        """The key's name. EUL-PASSKEY's flow asks for it after "Add a Security Key" (a page of its
        own, then "Submit"); older screens ask first, on this page. Nothing is registered yet."""
        if not self._locator(self.NAME).is_visible():
            self._require(self.ADD).click()  # to the page that asks for the name: not a submission
        self._require(self.NAME).fill(name)
        return self

    def add_security_key(self, name: str) -> Self:
        """Register the browser's authenticator under `name`; returns once the portal confirmed it."""
        named_first = self._locator(self.NAME).is_visible()
        self.fill_name(name)
        # Older screens: the add button prompts at once. EUL-PASSKEY: "Submit", then the prompt.
        self._require(self.ADD if named_first else self.SUBMIT).click()
        outcome = first_visible(self.page, {"registered": self._locator(self.REGISTERED),
                                            "failed": self._locator(self.FAILED)}, self.timeout_ms, self.screen)
        if outcome == "failed":
            raise MethodNotAllowedError("EU Login refused to register the security key")
        return self
