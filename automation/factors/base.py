"""The Factor protocol and the wait shared by every factor."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from automation.errors import (
    AccountBlockedError,
    BusinessError,
    CredentialsRejectedError,
    MethodNotAllowedError,
    SessionDroppedError,
)
from automation.pages.base import BasePage, first_visible
from automation.vocabulary import FactorKind

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from automation.catalog import Catalog
    from automation.pages.eulogin.password import PasswordPage

P = TypeVar("P", bound=BasePage)

REFUSALS: dict[str, type[BusinessError] | type[SessionDroppedError]] = {
    "wrong_password": CredentialsRejectedError,
    "blocked": AccountBlockedError,
    "stronger_required": MethodNotAllowedError,
    "method_unavailable": MethodNotAllowedError,
    "expired_request": SessionDroppedError,
}


REFUSAL_TEXTS = {
    "wrong_password": "EU Login rejected the password",
    "blocked": "EU Login has blocked the account (too many wrong passwords): request a new password",
    "locked_for_a_while": "EU Login has locked the account for 15 minutes (too many wrong passwords): it unlocks "
                          "by itself; fix the password source, then release the hold",
    "stronger_required": "the service needs a two-factor method; this account's method is not accepted",
    "method_unavailable": "the verification method is not set up for this EU Login account",
    "expired_request": "the EU Login sign-in request expired",
}


@dataclass
class SecondFactorStep:
    """Where a factor takes over: the page after "Sign in", and what counts as done."""

    page: Page
    catalog: Catalog
    timeout_ms: float
    password_page: PasswordPage
    done: dict[str, Locator]  # markers of the service (TRACES) or of EU Login's own success page
    # Called once the first screen past the password shows (the factor's own, or a done marker):
    # EU Login shows it only for an accepted password (automation.attempts clears its hold).
    password_accepted: Callable[[], None] = lambda: None

    def screen(self, cls: type[P]) -> P:
        """The page object of the factor's own screen, with the password page's browser page, locale
        and waits (the timeout, the drift grace)."""
        return self.password_page._page(cls)

    def wait(self, own: dict[str, Locator], timeout_ms: float | None = None) -> str:
        """Wait for the factor's own markers, a done marker, or a refusal of the password step."""
        fallback = self.password_page.fallback_link
        candidates = {**own, **self.done, "eulogin_message": self.password_page.message, "fallback": fallback}
        while True:
            name = first_visible(self.page, candidates, timeout_ms or self.timeout_ms, "the sign-in's next screen")
            if name == "eulogin_message":
                self.password_page.raise_refusal()
            if name != "fallback":
                self.password_accepted()
                return name
            self._past_the_fallback_page(fallback)

    def _past_the_fallback_page(self, fallback: Locator) -> None:
        """PO-ECAS clicks #fallbackLink "if displayed": a redirect page that moves on by itself (its link
        is the fallback). Wait for it to go; click only if it is still there after the grace, so the
        click and the page's own redirect do not both follow the link."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            fallback.first.wait_for(state="hidden", timeout=self.password_page.grace_ms)
        except PlaywrightError:  # a timeout: the page's script did not move on
            # It may move on between the wait and the click: the next wait sees where to.
            with contextlib.suppress(PlaywrightError):
                fallback.first.click(timeout=self.password_page.grace_ms)


class Factor(Protocol):
    """A second factor (or the password alone)."""

    # PasswordPage chooses it by its strength code (METHOD_STRENGTHS), by its label (METHOD_OPTIONS)
    # only as the fallback.
    method: FactorKind

    def prepare(self, page: Page) -> None:
        """Get the browser ready before the sign-in starts."""

    def complete(self, step: SecondFactorStep) -> str:
        """Finish the factor's screen; return the name of the done marker reached."""
        ...

    def finish(self, page: Page) -> None:
        """Save what the sign-in changed (called whether it succeeded or not)."""
