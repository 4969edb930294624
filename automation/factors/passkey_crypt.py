"""Passkey files encrypted at rest, with a key the team keeps elsewhere (issue 23).

A passkey file holds a private key: anyone who can read it can sign in as its owner (with the
password). A 0600 file protects it from other users of the machine, not from a backup, a copied
home folder or a stolen disk. With `passkey_file_key_command` or `passkey_file_key_keyring` in the
account, the file holds the credential encrypted (Fernet: AES-128-CBC with an HMAC-SHA256, from
`cryptography`), under a key derived from that secret with scrypt and a salt of the file's own, so a
passphrase serves as well as a random key. The envelope is JSON and names its format, so a plain
file and an encrypted one are told apart without guessing."""

from __future__ import annotations

import base64
import json
import os

from automation.errors import PasskeyFileError
from automation.secrets import Secret

FORMAT = "tracesctl encrypted passkey 1"
# scrypt's cost: about 50 ms and 16 MB here, for each sign-in's one read and one write.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def _fernet(key: Secret, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> object:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    derived = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(key.reveal().encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def is_encrypted(text: str) -> bool:
    try:
        document = json.loads(text)
    except ValueError:
        return False
    return isinstance(document, dict) and document.get("format") == FORMAT


def encrypt(plaintext: str, key: Secret) -> str:
    salt = os.urandom(16)
    token = _fernet(key, salt).encrypt(plaintext.encode("utf-8"))  # type: ignore[attr-defined]
    return json.dumps({"format": FORMAT, "kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                       "salt": base64.b64encode(salt).decode("ascii"), "token": token.decode("ascii")})


def decrypt(text: str, key: Secret, where: str) -> str:
    """The credential's JSON; PasskeyFileError (exit 2) for a wrong key or a damaged file, never
    echoing either."""
    from cryptography.fernet import InvalidToken

    try:
        document = json.loads(text)
        salt = base64.b64decode(document["salt"], validate=True)
        cost = {name: int(document[name]) for name in ("n", "r", "p")}
        token = str(document["token"]).encode("ascii")
    except (ValueError, KeyError, TypeError):
        raise PasskeyFileError(f"{where} is not a readable encrypted passkey file") from None
    if not (2**10 <= cost["n"] <= 2**20 and 1 <= cost["r"] <= 32 and 1 <= cost["p"] <= 16):
        raise PasskeyFileError(f"{where}: its scrypt cost is out of bounds")  # a crafted file could stall us
    try:
        plaintext: bytes = _fernet(key, salt, **cost).decrypt(token)  # type: ignore[attr-defined]
    except InvalidToken:
        raise PasskeyFileError(f"{where} cannot be decrypted with its key (a wrong key, or a changed file)") \
            from None
    return plaintext.decode("utf-8")
