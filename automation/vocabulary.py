"""The words the toolkit writes into the accounts file, the ledger, JSON and tables, as enums.

StrEnum, so each member is its own value: it compares equal to the string (`FactorKind.APP_QR ==
"app-qr"`), prints as it (f-strings, tables, TOML) and serialises as it (json, the ledger's TEXT
columns) unchanged. One spelling each, the accounts file's: `login --json`, keep-alive's JSON, the
tables and the ledger all say `app-qr`, never `app_qr`.
"""

from __future__ import annotations

from enum import StrEnum


class FactorKind(StrEnum):
    """An account's way through EU Login's second step (`factor = ...` in the accounts file)."""

    PASSWORD = "password"  # the password alone, where the service allows it
    PASSKEY = "passkey"  # a security key held by Chromium's virtual authenticator
    APP_QR = "app-qr"  # the EU Login app's one-time password, typed in
    APP_PIN = "app-pin"  # approved on the phone in the EU Login app


class HoldKind(StrEnum):
    """Why an EU Login identity is on hold (automation.holds explains each; the ledger's holds.kind)."""

    REFUSED = "refused"  # EU Login refused the password, the e-mail or the second factor
    UNCONFIRMED = "unconfirmed"  # a password was posted and its answer is unknown: it may have counted
    INACTIVE = "inactive"  # TRACES: unused for more than four months
    SUSPENDED = "suspended"  # TRACES: suspended after a two-factor reset
    RESET = "reset"  # reset-password stored a new password the account's source does not give yet
