"""TRACES NT after sign-in: the user's e-mail top right, its menu, sign-out; or a status screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from playwright.sync_api import Locator, Page

from automation.catalog import Catalog
from automation.pages.base import BasePage
from automation.pages.eulogin.signed_in import LoggedOutPage

if TYPE_CHECKING:
    from automation.pages.traces.profile import ProfilePage


def landing_markers(page: Page, catalog: Catalog, email: str) -> dict[str, Locator]:
    """What TRACES may show right after EU Login hands the user back: a status screen or home.

    Status screens come first: they show the user's e-mail top right too, so "home" is only
    home when none of them is there.
    """
    return {
        "inactive": catalog.locator(page, "traces.status.inactive"),
        "suspended": catalog.locator(page, "traces.status.suspended"),
        "auth_failed": catalog.locator(page, "traces.status.auth_failed"),
        "home": catalog.locator(page, "traces.home.user_email", email=email),
    }


class TracesHomePage(BasePage):
    def __init__(self, page: Page, catalog: Catalog, timeout_ms: float, email: str) -> None:
        super().__init__(page, catalog, timeout_ms)
        self.email = email

    @property
    def user_menu(self) -> Locator:
        return self._locator("traces.home.user_email", email=self.email)

    def wait_until_loaded(self) -> Self:
        self._wait_for("traces.home.user_email", email=self.email)
        return self

    def open(self, traces_url: str) -> Self:
        self.page.goto(f"{traces_url}/home")
        return self.wait_until_loaded()

    def open_profile(self) -> ProfilePage:
        """The e-mail top right, then "Edit Your Profile" (guide G1)."""
        from automation.pages.traces.profile import ProfilePage

        self.user_menu.click()
        self._locator("traces.home.edit_profile").click()
        return ProfilePage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()

    def log_out(self) -> LoggedOutPage:
        self.user_menu.click()
        self._locator("traces.home.log_out").click()
        return LoggedOutPage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()
