"""TRACES "Actors" → "Users": the search, "Search pending requests", the result list and its pages
(guide E1-E2). Each row is a region object that opens the user's page."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage
from automation.pages.traces.user import UserPage


class UserRow:
    """One row of the result list: its texts, read once, and the link that opens the user."""

    def __init__(self, users: UsersPage, name: str, email: str, operator: str, status: str, link: Locator) -> None:
        self._users = users
        self.name = name
        self.email = email
        self.operator = operator
        self.status = status
        self._link = link

    def open(self) -> UserPage:
        self._link.click()
        return self._users._page(UserPage).wait_until_loaded()


class UsersPage(BasePage):
    HEADING = "traces.users.heading"
    QUERY = "traces.users.query"
    SEARCH = "traces.users.search"
    PENDING = "traces.users.pending"
    ADVANCED = "traces.users.advanced"
    ROW = "traces.users.row"
    LINK = "traces.users.link"
    NEXT = "traces.users.next"
    ready = HEADING

    def ready_locator(self) -> Locator:
        return self._ready_locator()

    @property
    def advanced_search(self) -> Locator:
        """"Advanced Search" beside the search bar (newest help; older screens have none)."""
        return self._locator(self.ADVANCED)

    def search(self, query: str = "", pending: bool = True) -> Self:
        """The query, then "Search pending request" (newest; older "... requests", guide E2) or "Search"."""
        self._require(self.QUERY).fill(query)
        with self.page.expect_navigation():
            self._require(self.PENDING if pending else self.SEARCH).click()
        return self.wait_until_loaded()

    def rows(self) -> list[UserRow]:
        """The rows of the result page shown, read in one call (a page holds up to 50)."""
        rows = self._locator(self.ROW)
        texts: list[list[str]] = rows.evaluate_all(
            "rows => rows.map(row => [...row.querySelectorAll('td')].map(cell => cell.innerText.trim()))")
        found = []
        for index, cells in enumerate(texts):
            if len(cells) < 4:
                continue  # the header row, or the single "no user found" cell
            name, email, operator, status = cells[:4]
            found.append(UserRow(self, name, email, operator, status,
                                 self.catalog.locator(rows.nth(index), self.LINK).first))
        return found

    def all_rows(self) -> list[UserRow]:
        """Every row of every page of the result list (its "Next" link is followed to the end).
        Rows of earlier pages keep their texts; only the last page's rows can still be opened."""
        rows: list[UserRow] = []
        while True:
            rows += self.rows()
            following = self._locator(self.NEXT)
            if following.count() == 0:
                return rows
            with self.page.expect_navigation():
                following.click()

    def find(self, email: str) -> UserRow | None:
        """The row of `email` on the page shown."""
        return next((row for row in self.rows() if row.email.lower() == email.lower()), None)
