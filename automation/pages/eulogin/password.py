"""EU Login step 2: password, verification method, "Sign in" (form#loginForm); then the second
factor, and the page the sign-in lands on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, Self, TypeVar

from playwright.sync_api import Locator

from automation.errors import BusinessError, MethodNotAllowedError
from automation.factors.base import REFUSAL_TEXTS, REFUSALS, Factor, SecondFactorStep
from automation.pages.base import BasePage
from automation.pages.eulogin.lost_password import LostPasswordPage
from automation.secrets import Secret

if TYPE_CHECKING:
    from automation.pages.landing import Landing

L = TypeVar("L")

# select#loginStrength's options, by the factor's method name.
METHOD_OPTIONS = {
    "password": "eulogin.method.password",
    "passkey": "eulogin.method.passkey",
    "app_qr": "eulogin.method.app_qr",
    "app_pin": "eulogin.method.app_pin",
}
METHODS = tuple(METHOD_OPTIONS)
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


class PasswordPage(BasePage):
    PASSWORD = "eulogin.password.password"
    METHOD = "eulogin.password.method"
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

    def choose_method(self, method: str) -> Self:
        """Choose a verification method by its label: password, passkey, app_qr or app_pin. A method
        EU Login does not offer here (no device; "Password" for a two-factor service or an account
        that always requires two factors) is refused at once, before anything is sent."""
        select = self._require(self.METHOD)
        label = self.catalog.text(METHOD_OPTIONS[method])
        offered = [option.strip() for option in select.locator("option").all_inner_texts()]
        if label not in offered:
            raise MethodNotAllowedError(f"EU Login does not offer {label!r} here (it offers: {', '.join(offered)}): "
                                        "set the account's factor to one of those")
        select.select_option(label=label)
        return self

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
        return landing.page_for(reached, self.page, self.catalog, self.timeout_ms)

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
