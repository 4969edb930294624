"""TRACES NT after sign-in: the user's e-mail top right and its menu, the "Actors" menu, sign-out."""

from __future__ import annotations

from typing import Self

from playwright.sync_api import Locator, Page

from automation.catalog import Catalog
from automation.errors import NotAdministratorError, SessionDroppedError
from automation.pages.base import LABEL_GRACE_MS, BasePage, first_visible
from automation.pages.eulogin.logged_out import LoggedOutPage
from automation.pages.traces.operators import OperatorsPage
from automation.pages.traces.registration import ProfilePage, RoleSelectionPage
from automation.pages.traces.users import UsersPage


class TracesHomePage(BasePage):
    USER_EMAIL = "traces.home.user_email"
    HEADING = "traces.home.heading"
    EDIT_PROFILE = "traces.home.edit_profile"
    LOG_OUT = "traces.home.log_out"
    ACTORS = "traces.menu.actors"
    USERS = "traces.menu.users"
    OPERATORS = "traces.menu.operators"
    USERS_REFUSED = "traces.users.refused"
    ENTRY_LOG_IN = "traces.entry.log_in"
    ready = USER_EMAIL  # on home and on the first sign-in's role selection alike

    def __init__(self, page: Page, catalog: Catalog, timeout_ms: float = 30_000, *, email: str,
                 grace_ms: float = LABEL_GRACE_MS) -> None:
        super().__init__(page, catalog, timeout_ms, grace_ms=grace_ms)
        self.email = email

    def ready_locator(self) -> Locator:
        return self._locator(self.USER_EMAIL, email=self.email)

    def _ready_locator(self) -> Locator:
        return self.ready_locator()

    def open(self, traces_url: str) -> Self:
        """Home, with the session the browser holds; SessionDroppedError at once when TRACES shows
        its entry page instead (the session ended), rather than a wait for a home that cannot come."""
        self.page.goto(f"{traces_url}/home")
        if first_visible(self.page, {"home": self._ready_locator(), "signed_out": self._locator(self.ENTRY_LOG_IN)},
                         self.timeout_ms, "TRACES home") == "signed_out":
            raise SessionDroppedError("TRACES ended the session: it shows its entry page")
        return self

    def has_role(self) -> bool:
        """False on a first sign-in, when TRACES asks for the organisation type instead of home."""
        reached = first_visible(self.page, {"roles": self._locator(RoleSelectionPage.ready),
                                            "home": self._locator(self.HEADING)}, self.timeout_ms, "TRACES home")
        return reached == "home"

    def role_selection(self) -> RoleSelectionPage:
        """The first sign-in's "Select your organisation type" (guide C2)."""
        return self._page(RoleSelectionPage).wait_until_loaded()

    def open_user_menu(self) -> Self:
        """The e-mail top right opens the profile menu (guide G1); left open when it is open already."""
        if not self._locator(self.EDIT_PROFILE).is_visible():
            self._require(self.USER_EMAIL, email=self.email).click()
        return self

    def open_profile(self) -> ProfilePage:
        """The e-mail top right, then "Edit Your Profile" (guide G1)."""
        self.open_user_menu()._require(self.EDIT_PROFILE).click()
        return self._page(ProfilePage).wait_until_loaded()

    def open_actors_menu(self) -> Self:
        """"Actors" (guide E1); left open when it is open already."""
        if not self._locator(self.USERS).is_visible():
            self._require(self.ACTORS).click()
        return self

    def open_users(self) -> UsersPage:
        """"Actors" → "Users" (guide E1); NotAdministratorError when TRACES refuses the screens."""
        self.open_actors_menu()._require(self.USERS).click()
        users = self._page(UsersPage)
        if first_visible(self.page, {"users": users.ready_locator(), "refused": self._locator(self.USERS_REFUSED)},
                         self.timeout_ms, "Users") == "refused":
            raise NotAdministratorError(f"{self.email} is not an administrator of any operator: "
                                        "TRACES refuses the users screens")
        return users

    def open_operators(self) -> OperatorsPage:
        """"Actors" → "Operators" (authority users only, TNT-PH)."""
        if not self._locator(self.OPERATORS).is_visible():
            self._require(self.ACTORS).click()
        self._require(self.OPERATORS).click()
        return self._page(OperatorsPage).wait_until_loaded()

    def log_out(self) -> LoggedOutPage:
        self.open_user_menu()._require(self.LOG_OUT).click()
        return self._page(LoggedOutPage).wait_until_loaded()
