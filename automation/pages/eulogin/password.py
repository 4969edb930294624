"""EU Login step 2: password, verification method, "Sign in" (form#loginForm); then the second
factor, and the page the sign-in lands on.

The `Factor` protocol and `SecondFactorStep` (where a factor takes over after "Sign in") are defined
here, by the page that hands over to them, and implemented in automation.factors: factors import
pages, pages never import factors."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, Self, TypeVar

from playwright.sync_api import Locator

from automation.errors import (
    AccountBlockedError,
    BusinessError,
    CredentialsRejectedError,
    MethodNotAllowedError,
    PortalTimeoutError,
    SessionDroppedError,
    ToolkitDriftError,
)
from automation.pages.base import BasePage, first_visible
from automation.pages.eulogin.lost_password import LostPasswordPage
from automation.secrets import Secret
from automation.vocabulary import FactorKind

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from automation.catalog import Catalog

L = TypeVar("L")
L_co = TypeVar("L_co", covariant=True)
P = TypeVar("P", bound=BasePage)

class Landing(Protocol[L_co]):
    """Where a sign-in lands (the concrete landings are in automation.pages.landing, which imports the
    screens they reach; this page names only what it needs of them, so it never imports them back)."""

    def markers(self, page: Page, catalog: Catalog) -> dict[str, Locator]: ...

    def page_for(self, marker: str, origin: BasePage) -> L_co:
        """The page object of the screen `marker` names, with the browser page, locale and waits of
        `origin` (the page object the sign-in started from)."""
        ...


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


# The method's visible label (catalogue entry), by the factor: only the fallback, as labels other
# than "Password" are not public. (The catalogue's own keys keep their underscores.)
METHOD_OPTIONS = {
    FactorKind.PASSWORD: "eulogin.method.password",
    FactorKind.PASSKEY: "eulogin.method.passkey",
    FactorKind.APP_QR: "eulogin.method.app_qr",
    FactorKind.APP_PIN: "eulogin.method.app_pin",
}
# EU Login's protocol strength names (portal-facts: confirmed): the key a method is chosen by, as the
# option's value in select#loginStrength and in the drop-down's option id #verif-method-dd-<STRENGTH>.
METHOD_STRENGTHS = {
    FactorKind.PASSWORD: "PASSWORD",
    FactorKind.PASSKEY: "PASSWORD_WEBAUTHN",
    FactorKind.APP_QR: "PASSWORD_SOFTWARE_TOKEN",
    FactorKind.APP_PIN: "PASSWORD_MOBILE_APP",
}
# One drop-down option by its strength code (#verif-method-dd-{strength}). Not among PasswordPage's
# declared entries: those are looked up unfilled by the screen walk and the capture, and this one
# means nothing without a strength.
METHOD_OPTION = "eulogin.password.method_option"
# EU Login's refusals on this page, by name.
REFUSAL_MESSAGES = {
    "blocked": "eulogin.message.blocked",
    "wrong_password": "eulogin.message.wrong_password",
    "stronger_required": "eulogin.message.stronger_required",
    "method_unavailable": "eulogin.message.method_unavailable",
    "expired_request": "eulogin.message.expired_request",
}


class Attempt(Protocol):
    """What a flow records about a password post (automation.attempts.PasswordAttempt)."""

    def begin(self) -> None: ...

    def accepted(self) -> None: ...


def _nothing() -> None:
    return None


def _not_offered(label: str, offered: list[str]) -> MethodNotAllowedError:
    return MethodNotAllowedError(f"EU Login does not offer {label!r} here (it offers: {', '.join(offered)}): "
                                 "set the account's factor to one of those")


class PasswordPage(BasePage):
    PASSWORD = "eulogin.password.password"
    METHOD = "eulogin.password.method"
    METHOD_DROPDOWN = "eulogin.password.method_dropdown"
    METHOD_LIST = "eulogin.password.method_list"
    SIGN_IN = "eulogin.password.sign_in"
    LOST_PASSWORD = "eulogin.password.lost_password"
    ANONYMIZE = "eulogin.password.anonymize"
    MESSAGE = "eulogin.message.any"
    UNLOCKS_BY_ITSELF = "eulogin.message.unlocks_by_itself"
    FALLBACK = "eulogin.fallback.link"
    ready = PASSWORD

    @property
    def password_field(self) -> Locator:
        return self._locator(self.PASSWORD)

    @property
    def message(self) -> Locator:
        return self._locator(self.MESSAGE)

    @property
    def fallback_link(self) -> Locator:
        return self._locator(self.FALLBACK)

    def enter_password(self, password: Secret) -> Self:
        self.password_field.fill(password.reveal())
        return self

    def choose_method(self, method: FactorKind) -> Self:
        """Choose a verification method: password, passkey, app-qr or app-pin. Whichever chooser the
        page draws (the custom drop-down of live code since 2022, or the visible native select of older
        code; a native select hidden behind the drop-down is left alone: Playwright cannot select in a
        hidden one), the method is found by its strength code first, by its visible label only if no
        option carries the code. A method EU Login does not offer here (no device; "Password" for a
        two-factor service or an account that always requires two factors) is refused at once, before
        anything is sent. Nothing is assumed preselected: the choice is always made."""
        strength, label = METHOD_STRENGTHS[method], self.catalog.text(METHOD_OPTIONS[method])
        select, opener = self._locator(self.METHOD), self._locator(self.METHOD_DROPDOWN)
        try:
            chooser = first_visible(self.page, {"dropdown": opener, "select": select}, self.grace_ms,
                                    "the verification-method chooser")
        except PortalTimeoutError:
            raise ToolkitDriftError(type(self).__name__, self.METHOD_DROPDOWN,
                                    f"{self.catalog.describe(self.METHOD_DROPDOWN)} or "
                                    f"{self.catalog.describe(self.METHOD)}") from None
        if chooser == "select":
            self._choose_in_select(select.first, strength, label)
        else:
            self._choose_in_dropdown(opener.first, strength, label)
        return self

    def _choose_in_select(self, select: Locator, strength: str, label: str) -> None:
        options = select.locator("option")
        if select.locator(f'option[value="{strength}"]').count():
            select.select_option(value=strength)
            return
        offered = [option.strip() for option in options.all_inner_texts()]
        if label not in offered:
            raise _not_offered(label, offered)
        select.select_option(label=label)

    def _choose_in_dropdown(self, opener: Locator, strength: str, label: str) -> None:
        options = self._locator(self.METHOD_LIST).first
        if not options.is_visible():
            opener.click()  # PEERS: the opener shows the options
        options.wait_for(state="visible", timeout=self.grace_ms)
        by_strength = self.catalog.locator(options, METHOD_OPTION, strength=strength)
        if by_strength.count():
            by_strength.first.click()
        else:
            by_label = options.get_by_text(label, exact=True)
            if not by_label.count():
                raise _not_offered(label, [text.strip() for text in options.locator(":scope > *").all_inner_texts()])
            by_label.first.click()
        # The list closes on a choice: a wait for it keeps "Sign in" from racing the widget's script.
        options.wait_for(state="hidden", timeout=self.grace_ms)

    def submit(self) -> None:
        """"Sign in". What comes next depends on the method; `sign_in` waits for it."""
        self._require(self.SIGN_IN).click()

    def sign_in(self, password: Secret, factor: Factor, landing: Landing[L], attempt: Attempt | None = None) -> L:
        """Password, the factor's method, "Sign in", the factor's own screen; the page it lands on.
        `attempt` hears of the post just before it leaves (and may stop it by raising) and of the
        first screen that shows EU Login took the password."""
        self.enter_password(password).choose_method(factor.method)
        if attempt is not None:
            attempt.begin()
        self.submit()
        done = landing.markers(self.page, self.catalog)
        step = SecondFactorStep(self.page, self.catalog, self.timeout_ms, self, done,
                                attempt.accepted if attempt is not None else _nothing)
        reached = factor.complete(step)
        step.password_accepted()  # a factor that returns has seen a screen past the password
        return landing.page_for(reached, self)

    def use_different_email(self) -> None:
        """"Sign in with a different e-mail address?" (#anonymize): EU Login remembered the last user
        and opened on this step; the link goes back to step 1 (`WhoamiPage.instead_of` returns it)."""
        self._require(self.ANONYMIZE).click()

    def lost_password(self) -> LostPasswordPage:
        self._require(self.LOST_PASSWORD).click()
        return self._page(LostPasswordPage).wait_until_loaded()

    def error(self) -> str | None:
        """Which known refusal the page shows now, if any: wrong_password, blocked, ..."""
        for name, key in REFUSAL_MESSAGES.items():
            if self._locator(key).first.is_visible():
                return name
        return None

    def raise_refusal(self) -> None:
        """Turn the message EU Login shows into the error it means."""
        reason = self.error()
        if reason is None:
            text = (self.message.first.text_content() or "").strip()
            raise BusinessError(f"EU Login refused the sign-in: {text}")
        if reason == "blocked" and self._locator(self.UNLOCKS_BY_ITSELF).first.is_visible():
            raise REFUSALS[reason](REFUSAL_TEXTS["locked_for_a_while"])
        raise REFUSALS[reason](REFUSAL_TEXTS[reason])
