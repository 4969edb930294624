"""Build an account's factor from its settings (checked before any browser starts)."""

from __future__ import annotations

from collections.abc import Mapping

from automation.config import AccountConfig
from automation.factors.base import Factor


def build_factor(account: AccountConfig, environ: Mapping[str, str]) -> Factor:
    if account.factor == "passkey":
        from automation.factors.passkey import Passkey

        return Passkey(account.passkey_file)
    if account.factor == "app-qr":
        from automation.factors.app import AppQrCode
        from automation.factors.otp import parse_source

        return AppQrCode(account.email, parse_source(account.otp_source, environ))
    if account.factor == "app-pin":
        from automation.factors.app import AppPin

        return AppPin(account.pin_timeout_s)
    from automation.factors.password import PasswordOnly

    return PasswordOnly()
