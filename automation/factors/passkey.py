"""Passkey ("Security Key or Trusted Platform"): a Chromium virtual WebAuthn authenticator over CDP.

The credential (private key, sign counter) lives in a 0600 JSON file. Each sign-in imports it
into a fresh virtual authenticator and afterwards saves the advanced sign counter atomically, so
the next run presents a counter the portal accepts.
"""

from __future__ import annotations

import base64
import binascii
import json
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from automation.error_words import json_words
from automation.errors import PasskeyFileError, SecondFactorRefusedError
from automation.factors.passkey_crypt import decrypt, encrypt, is_encrypted
from automation.files import read_input_text, write_private
from automation.log import get_logger
from automation.pages.eulogin.passkey import PasskeyPage
from automation.pages.eulogin.password import SecondFactorStep
from automation.secrets import Secret
from automation.vocabulary import FactorKind

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
        """The credential as CDP's WebAuthn domain spells it; ValueError naming the field that is wrong."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        sign_count = data.get("signCount", 0)
        # A WebAuthn sign counter is an unsigned 32-bit number (1e400 reads as infinity, 1.5 is no count).
        if not isinstance(sign_count, int) or isinstance(sign_count, bool) or not 0 <= sign_count < 2**32:
            raise ValueError("signCount must be a whole number from 0 to 4294967295")
        rp_id = data.get("rpId")
        if not isinstance(rp_id, str) or not 0 < len(rp_id) <= 253 or check_rp_id(rp_id):
            raise ValueError("rpId must be a host name")
        user_handle = data.get("userHandle")
        return cls(_base64(data.get("credentialId"), "credentialId"), rp_id,
                   Secret(_base64(data.get("privateKey"), "privateKey")),
                   None if user_handle is None else _base64(user_handle, "userHandle"), sign_count)

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


MAX_KEY_CHARS = 16_384  # a PKCS#8 EC or RSA-4096 key in base64 is far below this


def check_rp_id(rp_id: str) -> bool:
    """Whether a relying-party id has anything a host name cannot (white space, controls, a slash)."""
    return any(not (c.isascii() and (c.isalnum() or c in ".-")) for c in rp_id)


def _base64(value: object, name: str) -> str:
    """A base64 field of CDP's credential (standard alphabet, padded), checked by decoding it."""
    if not isinstance(value, str) or not value or len(value) > MAX_KEY_CHARS:
        raise ValueError(f"{name} must be base64 text")
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{name} is not base64") from None
    return value


def load_passkey(path: Path, file_key: Secret | None = None) -> PasskeyCredential:
    """Read a credential file, refusing one that others can read (encrypted or not: 0600 stays the
    rule). An encrypted file needs its key; a plain one is read as it is (and encrypted on its next
    save when a key is set)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise PasskeyFileError(f"passkey file {path} not found (run `tracesctl enroll passkey`)") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PasskeyFileError(f"passkey file {path} is readable by others (mode {oct(mode & 0o777)}); chmod 600 it")
    text = read_input_text(path, "passkey file", PasskeyFileError)
    if is_encrypted(text):
        if file_key is None:
            raise PasskeyFileError(f"passkey file {path} is encrypted: set passkey_file_key_command or "
                                   "passkey_file_key_keyring in the account")
        text = decrypt(text, file_key, f"passkey file {path}")
    return parse_passkey(text, f"passkey file {path}")


def parse_passkey(text: str, where: str) -> PasskeyCredential:
    """A credential from its JSON text (a file's, a command's or the keyring's); errors never echo it."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise PasskeyFileError(f"{where} is not JSON: {json_words(exc)}") from None
    try:
        return PasskeyCredential.from_cdp(data)
    except ValueError as exc:  # never the value itself: the private key is in it
        raise PasskeyFileError(f"{where}: {exc}") from None


def with_saved_counter(credential: PasskeyCredential, counter_file: Path) -> PasskeyCredential:
    """A credential read from a command or the keyring, with the highest sign counter seen: the source
    is read-only to the toolkit, so the counter each sign-in advances lives in a file of its own (a
    count is no secret), and a stale count in the source would make EU Login refuse the passkey."""
    if not counter_file.exists():
        return credential
    try:
        saved = json.loads(read_input_text(counter_file, "passkey counter file", PasskeyFileError))
    except ValueError:
        raise PasskeyFileError(f"passkey counter file {counter_file} is not JSON; remove it") from None
    if not isinstance(saved, dict) or saved.get("credentialId") != credential.credential_id:
        return credential  # a counter of another (older) credential: the new one starts from its own
    count = saved.get("signCount")
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count < 2**32:
        raise PasskeyFileError(f"passkey counter file {counter_file}: signCount must be a whole number")
    credential.sign_count = max(credential.sign_count, count)
    return credential


def save_passkey(path: Path, credential: PasskeyCredential, file_key: Secret | None = None) -> None:
    """0600; encrypted with `file_key` when the account has one (automation.factors.passkey_crypt)."""
    text = json.dumps(credential.to_cdp())
    write_private(path, encrypt(text, file_key) if file_key is not None else text)


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
    method = FactorKind.PASSKEY

    def __init__(self, path: Path, credential: PasskeyCredential | None = None,
                 file_key: Secret | None = None) -> None:
        """From the 0600 file `path` (encrypted with `file_key` when given); or, given `credential`
        (from a command or the keyring), with `path` the file that keeps only its sign counter."""
        self.path = path
        self.counter_only = credential is not None
        self.file_key = file_key
        # Checked before any browser starts.
        self.credential = load_passkey(path, file_key) if credential is None \
            else with_saved_counter(credential, path)
        self._authenticator: VirtualAuthenticator | None = None

    def prepare(self, page: Page) -> None:
        self._authenticator = VirtualAuthenticator(page)
        self._authenticator.add(self.credential)
        # Saved one ahead before EU Login can see it: a run killed after the authenticator signed but
        # before `finish` would otherwise leave the old counter, which EU Login refuses next time as a
        # clone's (and the account would be held). A counter only has to grow; a skipped step is harmless.
        self._save_counter(replace(self.credential, sign_count=self.credential.sign_count + 1))

    def complete(self, step: SecondFactorStep) -> str:
        passkey_page = step.screen(PasskeyPage)
        reached = step.wait({"refused": passkey_page.refusal})
        if reached == "refused":
            raise SecondFactorRefusedError("EU Login refused the passkey (unknown key or stale sign counter)")
        return reached

    def finish(self, page: Page) -> None:
        """Save the advanced sign counter, then take the authenticator off the page."""
        if self._authenticator is None:
            return
        from playwright.sync_api import Error as PlaywrightError

        authenticator, self._authenticator = self._authenticator, None
        try:
            held = authenticator.credentials()
        except PlaywrightError:
            # The browser is gone (lost, killed): nothing to read back, and nothing lost, as the counter
            # was saved one ahead in `prepare`. Raising here would hide the error that ended the sign-in.
            log.warning("passkey sign counter not read back: the browser is gone")
            return
        for credential in held:
            if credential.credential_id == self.credential.credential_id and \
                    credential.sign_count != self.credential.sign_count:
                self._save_counter(credential)
                log.info("passkey sign counter saved", sign_count=credential.sign_count)
                self.credential = credential
        authenticator.remove()

    def _save_counter(self, credential: PasskeyCredential) -> None:
        if self.counter_only:
            write_private(self.path, json.dumps({"credentialId": credential.credential_id,
                                                 "signCount": credential.sign_count}))
        else:
            save_passkey(self.path, credential, self.file_key)
