"""TRACES NT entry page (/tracesnt/login) with the green "Log into Traces" button."""

from __future__ import annotations

from typing import Self

from automation.pages.base import BasePage, first_visible
from automation.pages.eulogin.password import PasswordPage
from automation.pages.eulogin.whoami import WhoamiPage
from automation.pages.landing import TracesLanding
from automation.pages.traces.home import TracesHomePage
from automation.pages.traces.status import StatusPage


class TracesEntryPage(BasePage):
    LOG_IN = TracesHomePage.ENTRY_LOG_IN
    LANGUAGE = "traces.language.selector"
    ready = LOG_IN

    def open(self, traces_url: str) -> Self:
        """Open the entry page; its labels depend on the language, so wait for the selector only."""
        self.page.goto(f"{traces_url}/login")
        self._wait_for(self.LANGUAGE)
        return self

    def choose_language(self, locale: str) -> Self:
        self._choose_language(self.LANGUAGE, locale)
        return self

    def live_session(self, email: str) -> TracesHomePage | None:
        """TRACES home when the browser holds a session already (the entry page is skipped then),
        None on the entry page. Read-only."""
        home = TracesHomePage(self.page, self.catalog, self.timeout_ms, email=email, grace_ms=self.drift_grace_ms)
        reached = first_visible(self.page, {"entry": self._locator(self.LOG_IN), "home": home.ready_locator()},
                                self.timeout_ms, self.screen)
        return home if reached == "home" else None

    def log_in(self, email: str) -> WhoamiPage | PasswordPage | TracesHomePage | StatusPage:
        """"Log into Traces": EU Login's step 1, or its step 2 when it remembers the last user; or,
        with a live session, straight on to TRACES (home or a status screen)."""
        landing = TracesLanding(email)
        markers = landing.markers(self.page, self.catalog)
        # A live TRACES session skips the entry page altogether.
        reached = first_visible(self.page, {"entry": self._locator(self.LOG_IN), **markers}, self.timeout_ms,
                                self.screen)
        if reached == "entry":
            self._locator(self.LOG_IN).click()
            whoami, password = self._page(WhoamiPage), self._page(PasswordPage)
            reached = first_visible(self.page, {"whoami": whoami.email_field, "password": password.password_field,
                                                **markers}, self.timeout_ms, "EU Login")
            if reached == "whoami":
                return whoami.wait_until_loaded()
            if reached == "password":
                return password.wait_until_loaded()
        return landing.page_for(reached, self)
