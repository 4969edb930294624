"""The EU Login app: QR code (type the one-time password) and PIN code (approve on the phone)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from automation.errors import ApprovalTimeoutError, PortalTimeoutError, SecondFactorRefusedError
from automation.factors.otp import WINDOWS, OtpSource, OtpWindows
from automation.pages.eulogin.app_pin import AppPinPage
from automation.pages.eulogin.app_qr import AppQrPage
from automation.pages.eulogin.password import SecondFactorStep
from automation.terminal import shown
from automation.vocabulary import FactorKind

if TYPE_CHECKING:
    from playwright.sync_api import Page


class AppQrCode:
    method = FactorKind.APP_QR

    def __init__(self, device: str, source: OtpSource, windows: OtpWindows = WINDOWS) -> None:
        self.device = device
        self.source = source
        self.windows = windows

    def prepare(self, page: Page) -> None:
        return None

    def complete(self, step: SecondFactorStep) -> str:
        qr_page = step.screen(AppQrPage)
        reached = step.wait({"qr": qr_page.code_field})
        if reached != "qr":
            return reached
        window = self.windows.fresh_window(self.device)
        qr_page.enter_code(self.source.code(window)).sign_in()
        self.windows.mark_used(self.device, window)
        reached = step.wait({"refused": qr_page.refusal})
        if reached == "refused":
            raise SecondFactorRefusedError("EU Login refused the one-time password")
        return reached

    def finish(self, page: Page) -> None:
        return None


def print_countdown(seconds_left: int, what: str = "Approve the sign-in in the EU Login app") -> None:
    from automation.console import countdown

    countdown(seconds_left, what)


def approve_on(account: str, device: str) -> str:
    """The countdown's words: with several accounts at one terminal, the person must know whose
    sign-in it is and which phone to pick up ("olle: approve on 'Olles telefon'")."""
    if device:
        return f"{account}: approve on '{shown(device)}'"
    return f"{account}: approve the sign-in in the EU Login app"


class AppPin:
    method = FactorKind.APP_PIN

    def __init__(self, timeout_s: float, show: Callable[[int], None] = print_countdown, account: str = "",
                 device: str = "") -> None:
        """`account` (its name in the accounts file) and `device` (the phone's name in EU Login) are
        named in the default countdown; a `show` of the caller's own is told the seconds only."""
        self.timeout_s = timeout_s
        self.show = show if not account or show is not print_countdown else \
            (lambda left: print_countdown(left, approve_on(account, device)))

    def prepare(self, page: Page) -> None:
        return None

    def complete(self, step: SecondFactorStep) -> str:
        pin_page = step.screen(AppPinPage)
        reached = step.wait({"waiting": pin_page.heading})
        deadline = time.monotonic() + self.timeout_s
        while reached == "waiting":
            left = deadline - time.monotonic()
            if left <= 0:
                raise ApprovalTimeoutError(
                    f"nobody approved the sign-in in the EU Login app within {self.timeout_s:.0f} s"
                )
            self.show(int(left))
            try:
                # Slices of a second keep the countdown moving; each is a condition wait.
                reached = step.wait({"expired": pin_page.expired, "denied": pin_page.denied},
                                    timeout_ms=min(1000, left * 1000))
            except PortalTimeoutError:
                continue
        if reached == "expired":
            raise ApprovalTimeoutError("the EU Login app request expired before it was approved")
        if reached == "denied":
            raise SecondFactorRefusedError("the sign-in was refused in the EU Login app")
        return reached

    def finish(self, page: Page) -> None:
        return None
