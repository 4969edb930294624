"""TRACES "Select an existing operator": search, the results table, "Request Authorisation" and its
dialog, and "+ Create a New operator" (guide C3-C8)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage

if TYPE_CHECKING:
    from automation.pages.traces.operator_form import OperatorFormPage
    from automation.pages.traces.profile import ProfilePage


@dataclass(frozen=True)
class OperatorRow:
    """One result row, read once: its texts, and the row itself to select it."""

    name: str
    activities: list[str]
    address: str
    identifiers: list[str]
    locator: Locator
    select_box: Locator

    def select(self) -> None:
        self.select_box.check()


class OperatorSearchPage(BasePage):
    @property
    def heading(self) -> Locator:
        return self._locator("traces.search.heading")

    @property
    def request_button(self) -> Locator:
        return self._locator("traces.search.request")

    @property
    def create_button(self) -> Locator:
        return self._locator("traces.search.create")

    def wait_until_loaded(self) -> Self:
        self._wait_for("traces.search.heading")
        return self

    def search(self, name: str) -> Self:
        """Country Sweden (the one mandatory field) and the company's name, then "Search" (guide C3)."""
        self._locator("traces.search.country").select_option(label=self.catalog.text("traces.search.country_sweden"))
        self._locator("traces.search.name").fill(name)
        with self.page.expect_navigation():
            self._locator("traces.search.submit").click()
        self._wait_for("traces.search.activities_column")
        return self

    def results(self) -> list[OperatorRow]:
        rows = []
        for row in self._locator("traces.search.row").all()[1:]:  # the first row holds the column headers
            select_box = self.catalog.locator(row, "traces.search.row_select")
            if select_box.count() == 0:
                continue  # the "no operator found" row
            cells = self.catalog.locator(row, "traces.search.cell")
            name, activities, address, identifiers = (cells.nth(i) for i in range(4))
            rows.append(OperatorRow(
                name=name.inner_text().strip(),
                activities=[line.strip() for line in activities.inner_text().splitlines() if line.strip()],
                address=address.inner_text().strip(),
                identifiers=[line.strip() for line in identifiers.inner_text().splitlines() if line.strip()],
                locator=row,
                select_box=select_box,
            ))
        return rows

    def request_authorisation(self) -> RequestAuthorisationDialog:
        self.request_button.click()
        dialog = RequestAuthorisationDialog(self.page, self.catalog, self.timeout_ms)
        dialog.wait_until_loaded()
        return dialog

    def create_new_operator(self) -> OperatorFormPage:
        from automation.pages.traces.operator_form import OperatorFormPage

        self.create_button.click()
        return OperatorFormPage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()


class RequestAuthorisationDialog(BasePage):
    """The pop-up of "Request Authorisation": optional data, then "Send authorisation request"."""

    @property
    def dialog(self) -> Locator:
        return self._locator("traces.request_dialog.dialog")

    def wait_until_loaded(self) -> Self:
        self._wait_for("traces.request_dialog.dialog")
        return self

    def add_information(self, text: str) -> Self:
        self.catalog.locator(self.dialog, "traces.request_dialog.info").fill(text)
        return self

    def send(self) -> ProfilePage:
        from automation.pages.traces.profile import ProfilePage

        self.catalog.locator(self.dialog, "traces.request_dialog.send").click()
        return ProfilePage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()
