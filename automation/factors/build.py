"""Build an account's factor from its settings (checked before any browser starts)."""

from __future__ import annotations

from collections.abc import Mapping

from automation.config import AccountConfig
from automation.pages.eulogin.password import Factor
from automation.vocabulary import FactorKind


def build_factor(account: AccountConfig, environ: Mapping[str, str]) -> Factor:
    if account.factor == FactorKind.PASSKEY:
        from automation.factors.passkey import Passkey, parse_passkey

        if account.passkey_source is not None:
            text = account.passkey_source.read(environ)
            return Passkey(account.passkey_file, parse_passkey(text.reveal(), account.passkey_source.where))
        file_key = account.passkey_file_key.read(environ) if account.passkey_file_key is not None else None
        return Passkey(account.passkey_file, file_key=file_key)
    if account.factor == FactorKind.APP_QR:
        from automation.factors.app import AppQrCode
        from automation.factors.otp import parse_source

        return AppQrCode(account.email, parse_source(account.otp_source, environ))
    if account.factor == FactorKind.APP_PIN:
        from automation.factors.app import AppPin

        return AppPin(account.pin_timeout_s, account=account.name, device=account.device)
    from automation.factors.password import PasswordOnly

    return PasswordOnly()
