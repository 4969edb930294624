"""TRACES first sign-in, or "Request new role": choose the organisation type (guide C2, G2)."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage
from automation.pages.traces.operator_search import OperatorSearchPage


class RoleSelectionPage(BasePage):
    @property
    def heading(self) -> Locator:
        return self._locator("traces.role_selection.heading")

    def wait_until_loaded(self) -> Self:
        self._wait_for("traces.role_selection.heading")
        return self

    def choose_operator(self) -> OperatorSearchPage:
        self._locator("traces.role_selection.operator").click()
        return OperatorSearchPage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()
