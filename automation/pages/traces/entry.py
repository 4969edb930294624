"""TRACES NT entry page (/tracesnt/login) with the green "Log into Traces" button."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage


class TracesEntryPage(BasePage):
    @property
    def log_in_button(self) -> Locator:
        return self._locator("traces.entry.log_in")

    def open(self, traces_url: str) -> Self:
        """Open the entry page; its labels depend on the language, so wait for the selector only."""
        self.page.goto(f"{traces_url}/login")
        self._wait_for("traces.language.selector")
        return self

    def choose_language(self, locale: str) -> Self:
        self._choose_language("traces.language.selector", locale)
        return self

    def wait_until_loaded(self) -> Self:
        self._wait_for("traces.entry.log_in")
        return self

    def log_in(self) -> None:
        """Go to EU Login, or straight on to TRACES when an EU Login session is live (single sign-on)."""
        self.log_in_button.click()
