"""Create an EU Login account (guide A1-A3): the form, the captcha handed to a person, the
verification e-mail's link, and a generated password that meets the rule.

Assisted where a person must act (the captcha), automatic elsewhere. Every input is checked
before the browser starts; nothing is submitted without `apply`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from structlog.contextvars import bound_contextvars

from automation.catalog import Catalog
from automation.config import LOCALES, Settings
from automation.errors import (
    CaptchaRefusedError,
    ConfigError,
    InstitutionAddressError,
    ResetLinkError,
    SignupRefusedError,
)
from automation.files import write_private
from automation.log import get_logger
from automation.mailbox import Mailbox, show_mail_countdown
from automation.pages.base import portal_errors_as_transient
from automation.pages.eulogin.new_password import NewPasswordPage
from automation.pages.eulogin.whoami import WhoamiPage
from automation.passwords import checked_password
from automation.secrets import Secret

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from automation.pages.eulogin.signup import RegistrationPage

log = get_logger(__name__)
CAPTCHA_ATTEMPTS = 3
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# EU institutions' staff get their accounts from HR: EU Login refuses these addresses.
_INSTITUTION_DOMAINS = ("europa.eu", "ecb.int", "eib.org", "eif.org")




@dataclass(frozen=True)
class NewPerson:
    first_name: str
    last_name: str
    email: str
    language: str  # the language of EU Login's e-mails (and of the screens tracesctl reads)

    @classmethod
    def checked(cls, first_name: str, last_name: str, email: str, language: str) -> NewPerson:
        """The details, or ConfigError (exit 2) saying what is wrong: nothing reaches EU Login."""
        first_name, last_name, email = first_name.strip(), last_name.strip(), email.strip().lower()
        if not first_name or not last_name:
            raise ConfigError("a first name and a last name are needed")
        if not _EMAIL.fullmatch(email):
            raise ConfigError(f"{email!r} is not an e-mail address")
        domain = email.rsplit("@", 1)[1]
        if any(domain == d or domain.endswith("." + d) for d in _INSTITUTION_DOMAINS):
            raise InstitutionAddressError(
                f"{email}: EU Login does not create accounts for an institution's address (staff get theirs from HR)")
        if language not in LOCALES:
            raise ConfigError(f"--language must be one of {', '.join(LOCALES)}, not {language!r}")
        return cls(first_name, last_name, email, language)


class CaptchaSolver(Protocol):
    def solve(self, image_png: bytes) -> str:
        """The code the captcha image shows; "" when the person cannot read it and asks for a new one."""
        ...


class PromptCaptcha:
    """A person reads the captcha: in the headed browser, or from the image saved to a file."""

    def __init__(self, image_path: Path) -> None:
        self.image_path = image_path

    def solve(self, image_png: bytes) -> str:
        write_private(self.image_path, image_png)
        return input(f"Type the code shown in the captcha (the browser, or {self.image_path}); "
                     "an empty line for a new code: ").strip()


class OfflinePortalCaptcha:
    """The offline portal reveals its captcha through the control API (tests, demo)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def solve(self, image_png: bytes) -> str:
        from automation.portal_client import PortalClient

        return PortalClient(self.base_url).captcha()


# How many new codes a person may ask for in a row before the sign-up stops (a loop, not a person).
CAPTCHA_REGENERATIONS = 10


def _captcha_code(form: RegistrationPage, captcha: CaptchaSolver) -> str:
    """The code the person (or the offline portal) reads; the captcha's regenerate button for as long
    as they ask for a new one (an empty answer)."""
    for _ in range(CAPTCHA_REGENERATIONS):
        code = captcha.solve(form.captcha_png())
        if code:
            return code
        log.info("a new captcha code was asked for")
        form.new_captcha()
    raise SignupRefusedError(f"no captcha code was given after {CAPTCHA_REGENERATIONS} new codes")


class SignupOutcome(StrEnum):
    PLANNED = "planned"  # a dry run: nothing submitted
    CREATED = "created"


@dataclass(frozen=True)
class SignupResult:
    outcome: SignupOutcome
    email: str


def sign_up(page: Page, settings: Settings, person: NewPerson, captcha: CaptchaSolver, mailbox: Mailbox,
            password: Secret, keep: Callable[[Secret], None], apply: bool) -> SignupResult:
    """Fill "Create an account"; with `apply`, submit it, follow the e-mail's link and set `password`.
    `keep` stores (or shows) the password just before it is submitted: an answer lost after EU
    Login took it must not lose the password."""
    checked_password(password)  # a weak password stops everything before the form is sent
    catalog = Catalog(person.language)
    timeout, grace = settings.timeout_ms, settings.drift_grace_ms
    with bound_contextvars(flow="signup", email=person.email), portal_errors_as_transient(page):
        form = WhoamiPage(page, catalog, timeout, grace_ms=grace).open(settings.eulogin_url, person.language) \
            .create_account()
        form.fill(person.first_name, person.last_name, person.email, person.language)
        if not apply:
            log.info("dry run: the form is filled, nothing submitted")
            return SignupResult(SignupOutcome.PLANNED, person.email)
        before = mailbox.count(person.email)
        for attempt in range(1, CAPTCHA_ATTEMPTS + 1):
            try:
                form.create_account(_captcha_code(form, captcha))
                break
            except CaptchaRefusedError:
                if attempt == CAPTCHA_ATTEMPTS:
                    raise SignupRefusedError(f"the captcha code was refused {CAPTCHA_ATTEMPTS} times") from None
                log.warning("the captcha code was refused; a new one is shown", attempt=attempt)
                form.fill(person.first_name, person.last_name, person.email, person.language)
        log.info("account requested; waiting for the verification e-mail")
        # EUL-MAIL: it can take 20 minutes; settings.mail_wait_s (25 by default), counted down on a terminal.
        link = mailbox.wait_for_link(person.email, before, settings.mail_wait_s, on_tick=show_mail_countdown)
        try:
            password_page = NewPasswordPage(page, catalog, timeout, grace_ms=grace).open(link)
        except ResetLinkError as expired:
            raise SignupRefusedError(f"{expired}; sign up again") from None
        keep(password)
        password_page.choose(password)
        log.info("account created")
        return SignupResult(SignupOutcome.CREATED, person.email)
