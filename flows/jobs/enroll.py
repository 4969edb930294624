"""Register a second factor with EU Login from My Account: a passkey (saved to a 0600 file), or the
EU Login app on a phone (the QR code shown, then a wait for the phone)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from structlog.contextvars import bound_contextvars

from automation.attempts import PasswordAttempt
from automation.config import AccountConfig, Settings
from automation.errors import ConfigError, MethodNotAllowedError
from automation.factors import Factor
from automation.factors.app import AppPin
from automation.factors.passkey import PasskeyCredential, VirtualAuthenticator, save_passkey
from automation.files import write_private
from automation.ledger import Ledger
from automation.log import get_logger
from automation.pages.base import portal_errors_as_transient
from automation.pages.eulogin.add_device import AddDevicePage
from automation.pages.eulogin.password import PasswordPage
from automation.pages.eulogin.whoami import WhoamiPage
from automation.pages.landing import AddDeviceLanding
from automation.secrets import Secret
from flows.jobs.signin import password_step, post_password, sign_in_to_eulogin

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)


def enroll_passkey(page: Page, settings: Settings, account: AccountConfig, password: Secret,
                   key_name: str = "tracesctl", apply: bool = True,
                   file_key: Secret | None = None) -> PasskeyCredential | None:
    """Sign in to EU Login directly, add a security key held by a virtual authenticator, save it.
    Without `apply`, stop on the security keys page with the name filled in (None)."""
    with bound_contextvars(flow="enroll_passkey", account=account.name), portal_errors_as_transient(page):
        authenticator = VirtualAuthenticator(page)
        signed_in = sign_in_to_eulogin(page, settings, account, password)
        keys = signed_in.open_my_account().open_security_keys()
        if not apply:
            keys.fill_name(key_name)
            log.info("dry run: the name is filled, nothing registered")
            return None
        keys.add_security_key(key_name)
        credentials = authenticator.credentials()
        if len(credentials) != 1:
            raise MethodNotAllowedError(f"expected one new credential in the authenticator, found {len(credentials)}")
        save_passkey(account.passkey_file, credentials[0], file_key)  # encrypted when the account has a key
        log.info("passkey enrolled", file=str(account.passkey_file))
        return credentials[0]


class EnrolmentOutcome(StrEnum):
    PLANNED = "planned"  # a dry run: the form filled, nothing submitted
    REGISTERED = "registered"


@dataclass(frozen=True)
class AppEnrolment:
    outcome: EnrolmentOutcome
    device: str
    qr_png: Path | None = None


def enroll_app(page: Page, settings: Settings, account: AccountConfig, password: Secret, device: str,
               pin: Secret | None, qr_file: Path, show_qr: Callable[[list[list[bool]]], None],
               show_seconds: Callable[[int], None], wait_s: float, apply: bool,
               registered_device: Factor | None = None) -> AppEnrolment:
    """My account > Manage my mobile devices > Add a mobile device (guide B2-B6): the name and PIN,
    "Skicka", then the QR code (saved as PNG, drawn by `show_qr`) and a wait for the phone.

    With a device already registered, EU Login first wants a sign-in with it (EC-APP): the password
    again and `registered_device` (the account's app factor; by default a wait for the person to
    approve on the registered phone). A dry run stops before that sign-in."""
    with bound_contextvars(flow="enroll_app", account=account.name), portal_errors_as_transient(page):
        devices = sign_in_to_eulogin(page, settings, account, password).open_my_account().open_mobile_devices()
        if device in devices.device_names:
            raise ConfigError(f"{account.name} already has a mobile device named {device!r}: choose another --name")
        landed = devices.add_device()
        if not isinstance(landed, AddDevicePage):
            if not apply:
                log.info("dry run: EU Login wants the registered device before the form; nothing sent")
                return AppEnrolment(EnrolmentOutcome.PLANNED, device)
            phone = _registered_phone(account, devices.device_names)
            landed = _authenticate_with_device(page, settings, account, password, landed, registered_device, phone)
        form = landed.fill_name(device)
        if not apply:
            log.info("dry run: the form is filled, nothing submitted")
            return AppEnrolment(EnrolmentOutcome.PLANNED, device)
        if pin is None:
            raise ConfigError("adding a mobile device needs the PIN the person will type in the app")
        enrolment = form.submit(pin)
        write_private(qr_file, enrolment.qr_png())
        show_qr(enrolment.qr_modules())
        log.info("QR code shown; waiting for the EU Login app", file=str(qr_file))
        devices.wait_for_phone(enrolment, wait_s, show_seconds)
        log.info("mobile device registered", device=device)
        return AppEnrolment(EnrolmentOutcome.REGISTERED, device, qr_file)


def _registered_phone(account: AccountConfig, names: list[str]) -> str:
    """The phone the person must pick up: the accounts file's `device`, else the one device the
    portal's "Manage my mobile devices" lists (with several, EU Login's choice is not known here)."""
    return account.device or (names[0] if len(names) == 1 else "")


def _authenticate_with_device(page: Page, settings: Settings, account: AccountConfig, password: Secret,
                              login: WhoamiPage | PasswordPage, registered_device: Factor | None,
                              phone: str) -> AddDevicePage:
    """EC-APP: a sign-in with the registered device (the password step is recorded as every one is),
    back on "Add a mobile device"."""
    factor = registered_device or AppPin(account.pin_timeout_s, account=account.name, device=phone)
    log.info("EU Login wants the registered mobile device before adding another", method=factor.method)
    attempt = PasswordAttempt(Ledger.open(settings), account, settings.artifacts_dir)
    factor.prepare(page)
    try:
        return post_password(page, password_step(login, account.email), password, factor, AddDeviceLanding(), attempt)
    finally:
        factor.finish(page)
