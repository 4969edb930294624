"""Passkey ("Security Key or Trusted Platform"): a Chromium virtual WebAuthn authenticator over CDP.

The credential (private key, sign counter) lives in a 0600 JSON file. Each sign-in imports it
into a fresh virtual authenticator and afterwards saves the advanced sign counter atomically, so
the next run presents a counter the portal accepts.
"""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from automation.errors import PasskeyFileError, SecondFactorRefusedError
from automation.factors.base import SecondFactorStep
from automation.files import write_private
from automation.log import get_logger
from automation.pages.eulogin.passkey import PasskeyPage
from automation.secrets import Secret

if TYPE_CHECKING:
    from playwright.sync_api import CDPSession, Page

log = get_logger(__name__)

AUTHENTICATOR_OPTIONS = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


@dataclass
class PasskeyCredential:
    credential_id: str  # base64, as CDP gives it
    rp_id: str
    private_key: Secret  # base64 PKCS#8
    user_handle: str | None
    sign_count: int

    @classmethod
    def from_cdp(cls, data: dict[str, Any]) -> PasskeyCredential:
        return cls(data["credentialId"], data["rpId"], Secret(data["privateKey"]),
                   data.get("userHandle"), int(data.get("signCount", 0)))

    def to_cdp(self) -> dict[str, Any]:
        credential: dict[str, Any] = {
            "credentialId": self.credential_id,
            "isResidentCredential": self.user_handle is not None,
            "rpId": self.rp_id,
            "privateKey": self.private_key.reveal(),
            "signCount": self.sign_count,
        }
        if self.user_handle is not None:
            credential["userHandle"] = self.user_handle
        return credential


def load_passkey(path: Path) -> PasskeyCredential:
    """Read a credential file, refusing one that others can read."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise PasskeyFileError(f"passkey file {path} not found (run `tracesctl enroll passkey`)") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PasskeyFileError(f"passkey file {path} is readable by others (mode {oct(mode & 0o777)}); chmod 600 it")
    try:
        return PasskeyCredential.from_cdp(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PasskeyFileError(f"passkey file {path} cannot be read: {type(exc).__name__}") from None


def save_passkey(path: Path, credential: PasskeyCredential) -> None:
    write_private(path, json.dumps(credential.to_cdp()))


class VirtualAuthenticator:
    """A WebAuthn authenticator inside Chromium, driven over the DevTools protocol."""

    def __init__(self, page: Page) -> None:
        self._cdp: CDPSession = page.context.new_cdp_session(page)
        self._cdp.send("WebAuthn.enable", {"enableUI": False})
        created = self._cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR_OPTIONS})
        self.authenticator_id: str = created["authenticatorId"]

    def add(self, credential: PasskeyCredential) -> None:
        self._cdp.send("WebAuthn.addCredential",
                       {"authenticatorId": self.authenticator_id, "credential": credential.to_cdp()})

    def remove(self) -> None:
        # Chromium allows one internal authenticator per page: remove it so the page can sign in again.
        self._cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": self.authenticator_id})
        self._cdp.detach()

    def credentials(self) -> list[PasskeyCredential]:
        answer = self._cdp.send("WebAuthn.getCredentials", {"authenticatorId": self.authenticator_id})
        return [PasskeyCredential.from_cdp(c) for c in answer["credentials"]]


class Passkey:
    method = "passkey"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.credential = load_passkey(path)  # checked before any browser starts
        self._authenticator: VirtualAuthenticator | None = None

    def prepare(self, page: Page) -> None:
        self._authenticator = VirtualAuthenticator(page)
        self._authenticator.add(self.credential)

    def complete(self, step: SecondFactorStep) -> str:
        passkey_page = PasskeyPage(step.page, step.catalog, step.timeout_ms)
        reached = step.wait({"refused": passkey_page.refusal})
        if reached == "refused":
            raise SecondFactorRefusedError("EU Login refused the passkey (unknown key or stale sign counter)")
        return reached

    def finish(self, page: Page) -> None:
        """Save the advanced sign counter, then take the authenticator off the page."""
        if self._authenticator is None:
            return
        authenticator, self._authenticator = self._authenticator, None
        for credential in authenticator.credentials():
            if credential.credential_id == self.credential.credential_id and \
                    credential.sign_count != self.credential.sign_count:
                save_passkey(self.path, credential)
                log.info("passkey sign counter saved", sign_count=credential.sign_count)
                self.credential = credential
        authenticator.remove()
