"""TRACES registration (guide C2-C7, G): "Edit Your Profile" with the user's roles and "Request new
role", the organisation type, "Select an existing operator" with its results and the "Request
Authorisation" dialog. One module because these screens lead into each other in a circle
(profile → role → search → dialog → profile); "+ Create a New operator" leads out to operator_form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from playwright.sync_api import Locator, Page

from automation.pages.base import BasePage
from automation.pages.traces.operator_form import OperatorFormPage

ROW = "traces.search.row"
# The activity that makes a company an exporter or a cargo responsible (guide C5).
ACTIVITY_OF_ROLE = {"exporter": "traces.activity.exporter", "cargo": "traces.activity.cargo"}


@dataclass(frozen=True)
class RoleRow:
    operator: str
    identifiers: list[str]
    status: str  # pending | authorised | the portal's own word when neither


class ProfilePage(BasePage):
    HEADING = "traces.profile.heading"
    SENT = "traces.profile.sent"
    ROLES = "traces.profile.roles"
    REQUEST_NEW_ROLE = "traces.profile.request_new_role"
    STATUS_PENDING = "traces.profile.status_pending"
    STATUS_AUTHORISED = "traces.profile.status_authorised"
    ready = HEADING

    @property
    def sent_message(self) -> Locator:
        return self._locator(self.SENT)

    def roles(self) -> list[RoleRow]:
        """The roles table, read in one call."""
        statuses = {**{text: "pending" for text in self.catalog.texts(self.STATUS_PENDING)},
                    **{text: "authorised" for text in self.catalog.texts(self.STATUS_AUTHORISED)}}
        table = self._require(self.ROLES)
        cells: list[list[str]] = self.catalog.locator(table, ROW).evaluate_all(
            "rows => rows.map(row => [...row.querySelectorAll('td')].map(cell => cell.innerText.trim()))")
        rows = []
        for row in cells:
            if len(row) < 4:
                continue  # the header row, or "no role yet"
            identifiers = [line.strip() for line in row[1].splitlines() if line.strip()]
            rows.append(RoleRow(row[0], identifiers, statuses.get(row[3], row[3])))
        return rows

    def request_new_role(self) -> RoleSelectionPage:
        self._require(self.REQUEST_NEW_ROLE).click()
        return self._page(RoleSelectionPage).wait_until_loaded()


class RoleSelectionPage(BasePage):
    """First sign-in, or "Request new role": the organisation type (guide C2, G2)."""

    HEADING = "traces.role_selection.heading"
    OPERATOR = "traces.role_selection.operator"
    ready = HEADING

    def choose_operator(self) -> OperatorSearchPage:
        self._require(self.OPERATOR).click()
        return self._page(OperatorSearchPage).wait_until_loaded()


class OperatorRow:
    """One result row, read once: its texts, and the row's "Select" to choose it (a region object)."""

    def __init__(self, name: str, activities: list[str], address: str, identifiers: list[str],
                 select_box: Locator) -> None:
        self.name = name
        self.activities = activities
        self.address = address
        self.identifiers = identifiers
        self._select_box = select_box

    def select(self) -> None:
        self._select_box.check()


class OperatorSearchPage(BasePage):
    """"Select an existing operator": search, results, "Request Authorisation", "+ Create a New operator"."""

    HEADING = "traces.search.heading"
    COUNTRY = "traces.search.country"
    SWEDEN = "traces.search.country_sweden"
    NAME = "traces.search.name"
    SUBMIT = "traces.search.submit"
    ACTIVITIES_COLUMN = "traces.search.activities_column"
    ROW_SELECT = "traces.search.row_select"
    REQUEST = "traces.search.request"
    CREATE = "traces.search.create"
    ready = HEADING

    def search(self, name: str) -> Self:
        """Country Sweden (the one mandatory field) and the company's name, then "Search" (guide C3)."""
        self._require(self.COUNTRY).select_option(label=self.catalog.text(self.SWEDEN))
        self._require(self.NAME).fill(name)
        with self.page.expect_navigation():
            self._require(self.SUBMIT).click()
        self.wait_until_loaded()._require(self.ACTIVITIES_COLUMN)
        return self

    def results(self) -> list[OperatorRow]:
        """The result rows, read in one call (the header and a "no operator found" row are left out)."""
        rows = self._locator(ROW)
        texts: list[list[str]] = rows.evaluate_all(
            "rows => rows.map(row => [...row.querySelectorAll('td')].map(cell => cell.innerText))")
        found = []
        for index, cells in enumerate(texts):
            if len(cells) < 4:
                continue
            select_box = self.catalog.locator(rows.nth(index), self.ROW_SELECT)
            name, activities, address, identifiers = cells[:4]
            found.append(OperatorRow(
                name=name.strip(),
                activities=[line.strip() for line in activities.splitlines() if line.strip()],
                address=address.strip(),
                identifiers=[line.strip() for line in identifiers.splitlines() if line.strip()],
                select_box=select_box,
            ))
        return found

    def offers_role(self, row: OperatorRow, role: str) -> bool:
        """Whether the row's activities make it an operator of `role` (exporter, cargo: guide C5)."""
        wanted = self.catalog.texts(ACTIVITY_OF_ROLE[role])
        return any(w in activity for w in wanted for activity in row.activities)

    def request_authorisation(self) -> RequestAuthorisationDialog:
        self._require(self.REQUEST).click()
        return self._page(RequestAuthorisationDialog).wait_until_loaded()

    def create_new_operator(self) -> OperatorFormPage:
        self._require(self.CREATE).click()
        return self._page(OperatorFormPage).wait_until_loaded()


class RequestAuthorisationDialog(BasePage):
    """The pop-up of "Request Authorisation": optional data, then "Send authorisation request"."""

    DIALOG = "traces.request_dialog.dialog"
    INFO = "traces.request_dialog.info"
    SEND = "traces.request_dialog.send"
    ready = DIALOG

    @property
    def dialog(self) -> Locator:
        return self._locator(self.DIALOG)

    def _within(self, key: str) -> Page | Locator:
        return self.page if key == self.DIALOG else self.dialog

    def add_information(self, text: str) -> Self:
        self._require(self.INFO).fill(text)
        return self

    def send(self) -> ProfilePage:
        self._require(self.SEND).click()
        return self._page(ProfilePage).wait_until_loaded()

    def close(self) -> OperatorSearchPage:
        """Escape: the dialog closes unsent (read-only walks)."""
        self.page.keyboard.press("Escape")
        self.dialog.wait_for(state="hidden", timeout=self.timeout_ms)
        return self._page(OperatorSearchPage)
