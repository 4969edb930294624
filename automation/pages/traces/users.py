"""TRACES "Actors" → "Users": the search, "Search pending requests", the result list and its pages
(guide E1-E2); and a user's page with one box per requested authority (E3-E4, F1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage, first_visible


@dataclass(frozen=True)
class UserRow:
    name: str
    email: str
    operator: str
    status: str
    link: Locator


class UsersPage(BasePage):
    @property
    def heading(self) -> Locator:
        return self._locator("traces.users.heading")

    @property
    def refusal(self) -> Locator:
        return self._locator("traces.users.refused")

    def wait_until_loaded(self) -> Self:
        self._wait_for("traces.users.heading")
        return self

    def open_from_menu(self) -> str:
        """"Actors" → "Users"; "users" when the page opens, "refused" for a non-administrator."""
        self._locator("traces.menu.actors").click()
        self._locator("traces.menu.users").click()
        return first_visible(self.page, {"users": self.heading, "refused": self.refusal}, self.timeout_ms)

    def search(self, query: str = "", pending: bool = True) -> Self:
        self._locator("traces.users.query").fill(query)
        button = "traces.users.pending" if pending else "traces.users.search"
        with self.page.expect_navigation():
            self._locator(button).click()
        return self.wait_until_loaded()

    def rows(self) -> list[UserRow]:
        """The rows of the result page shown, read in one go (a page holds up to 50)."""
        columns = 4  # name, e-mail, operator, status
        cells = self._locator("traces.users.cell").all_inner_texts()
        if len(cells) % columns:
            return []  # the single "no user found" cell
        rows = self._locator("traces.users.row")
        found = []
        for i in range(len(cells) // columns):
            name, email, operator, status = (c.strip() for c in cells[i * columns:(i + 1) * columns])
            link = self.catalog.locator(rows.nth(i + 1), "traces.users.link")  # row 0 holds the headers
            found.append(UserRow(name, email, operator, status, link))
        return found

    def all_rows(self) -> list[UserRow]:
        """Every row of every page of the result list (its "Next" link is followed to the end)."""
        rows: list[UserRow] = []
        while True:
            rows += self.rows()
            following = self._locator("traces.users.next")
            if following.count() == 0:
                return rows
            with self.page.expect_navigation():
                following.click()

    def open_user(self, row: UserRow) -> UserPage:
        row.link.click()
        return UserPage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()


class UserPage(BasePage):
    @property
    def heading(self) -> Locator:
        return self._locator("traces.user.heading")

    def wait_until_loaded(self) -> Self:
        self._wait_for("traces.user.heading")
        return self

    def has_box(self, operator: str) -> bool:
        return self._locator("traces.user.box", operator=operator).count() > 0

    def approved_operators(self) -> list[str]:
        """The operators whose box on this page is approved and saved."""
        names = [box.get_attribute("aria-label") or "" for box in self._locator("traces.user.boxes").all()]
        return [name for name in names if name and self.is_approved(name)]

    def is_approved(self, operator: str) -> bool:
        """Approved and saved: the check is pressed and can no longer be clicked."""
        check = self._locator("traces.user.approve", operator=operator)
        return check.is_disabled() and check.get_attribute("aria-pressed") == "true"

    def is_administrator(self, operator: str) -> bool:
        return self._locator("traces.user.admin", operator=operator).get_attribute("aria-pressed") == "true"

    @property
    def is_suspended(self) -> bool:
        return self._locator("traces.user.suspended").is_visible()

    def approve(self, operator: str) -> Self:
        """The green check of the authority: the whole box turns green (not kept until saved)."""
        self._locator("traces.user.approve", operator=operator).click()
        return self

    def toggle_administrator(self, operator: str) -> Self:
        self._locator("traces.user.admin", operator=operator).click()
        return self

    def save(self) -> Self:
        """"Save changes", top right; returns once the portal confirms and the page shows the saved state."""
        with self.page.expect_navigation():
            self._locator("traces.user.save").click()
        self._wait_for("traces.user.saved")
        return self

    def unsuspend(self) -> Self:
        with self.page.expect_navigation():
            self._locator("traces.user.unsuspend").click()
        self._wait_for("traces.user.unsuspended")
        return self

    def reload(self) -> Self:
        self.page.reload()
        return self.wait_until_loaded()
