"""Where a sign-in lands: TRACES (home, or a status screen), EU Login's own "Successful login", or the
EU Login page that asked for a sign-in with the registered device ("Add a mobile device").

A `Landing` lists the markers that say the sign-in is over, for the factor's wait, and turns the
one reached into its page object. Status screens come first: they show the user's e-mail top
right too, so "home" is only home when none of them is there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from automation.catalog import Catalog
from automation.pages.base import BasePage
from automation.pages.eulogin.add_device import AddDevicePage
from automation.pages.eulogin.password import Landing
from automation.pages.eulogin.signed_in import SignedInPage
from automation.pages.traces.home import TracesHomePage
from automation.pages.traces.status import StatusPage

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = ["AddDeviceLanding", "EuLoginLanding", "Landing", "TracesLanding"]


class TracesLanding:
    """TRACES after EU Login hands the user back."""

    def __init__(self, email: str) -> None:
        self.email = email

    def markers(self, page: Page, catalog: Catalog) -> dict[str, Locator]:
        status = {kind: catalog.locator(page, key) for kind, key in StatusPage.KINDS.items()}
        return {**status, "home": TracesHomePage(page, catalog, email=self.email).ready_locator()}

    def page_for(self, marker: str, origin: BasePage) -> TracesHomePage | StatusPage:
        page, catalog, timeout_ms, grace_ms = origin.page, origin.catalog, origin.timeout_ms, origin.drift_grace_ms
        if marker == "home":
            return TracesHomePage(page, catalog, timeout_ms, email=self.email, grace_ms=grace_ms).wait_until_loaded()
        return StatusPage(page, catalog, timeout_ms, kind=marker, grace_ms=grace_ms)


class EuLoginLanding:
    """EU Login's own pages, signed in directly (guide B1)."""

    def markers(self, page: Page, catalog: Catalog) -> dict[str, Locator]:
        return {"signed_in": catalog.locator(page, SignedInPage.ready)}

    def page_for(self, marker: str, origin: BasePage) -> SignedInPage:
        return origin._page(SignedInPage).wait_until_loaded()


class AddDeviceLanding:
    """EU Login's "Add a mobile device" form, after the sign-in with the registered device it asked for."""

    def markers(self, page: Page, catalog: Catalog) -> dict[str, Locator]:
        return {"add_device": AddDevicePage(page, catalog).name_field}

    def page_for(self, marker: str, origin: BasePage) -> AddDevicePage:
        return origin._page(AddDevicePage).wait_until_loaded()
