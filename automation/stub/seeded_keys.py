"""The passkeys the offline portal's seeded accounts come with (TRACES has wanted two factors from
every user since 11 June 2024: TNT-HELP, LIVS; issue 20 section 2).

Each key is a P-256 key derived from a hash of the account's e-mail, so the portal (which keeps only
the public half, as EU Login does) and a test or `tracesctl stub --print-accounts` (which need the
private half for a browser's virtual authenticator) agree on it without sharing anything but the
e-mail. Like the seeded passwords, these keys are public test data: they open only the offline
portal, and only for accounts it seeded or a test created with `"seeded_passkey": true`.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import encode_cbor
from webauthn.helpers.cose import COSECRV, COSEKTY, COSEAlgorithmIdentifier, COSEKey

# Domain separation: the hash that gives a key is never the hash that gives its credential id.
_KEY_LABEL = b"tracesctl offline portal: seeded passkey private key\x00"
_ID_LABEL = b"tracesctl offline portal: seeded passkey credential id\x00"
# The order of P-256's group: a scalar must lie in [1, n - 1].
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
SEEDED_KEY_NAME = "Offline portal key"  # the name "Manage my Security Keys" lists it under (inferred)


def _normal(username: str) -> bytes:
    return username.strip().lower().encode()


def private_key(username: str) -> ec.EllipticCurvePrivateKey:
    """The account's P-256 key: a SHA-256 of its e-mail, taken into the group's range."""
    digest = hashlib.sha256(_KEY_LABEL + _normal(username)).digest()
    return ec.derive_private_key(int.from_bytes(digest) % (_P256_ORDER - 1) + 1, ec.SECP256R1())


def credential_id(username: str) -> bytes:
    return hashlib.sha256(_ID_LABEL + _normal(username)).digest()[:16]


def cose_public_key(username: str) -> bytes:
    """The public half as WebAuthn stores it (a COSE EC2 key, ES256), what the portal verifies against."""
    numbers = private_key(username).public_key().public_numbers()
    return bytes(encode_cbor({
        COSEKey.KTY: COSEKTY.EC2, COSEKey.ALG: COSEAlgorithmIdentifier.ECDSA_SHA_256, COSEKey.CRV: COSECRV.P256,
        COSEKey.X: numbers.x.to_bytes(32, "big"), COSEKey.Y: numbers.y.to_bytes(32, "big"),
    }))


def virtual_authenticator_credential(username: str, rp_id: str = "localhost") -> dict[str, Any]:
    """The credential as Chromium's WebAuthn.addCredential takes it (and the toolkit's passkey files
    hold it): the private key in PKCS#8, a resident credential for the user handle the portal gives
    at registration (the e-mail), sign count 0 as the portal seeds it. `rp_id`: the host the browser
    visits the portal as (WebAuthn needs a domain: localhost)."""
    der = private_key(username).private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption())
    return {
        "credentialId": base64.b64encode(credential_id(username)).decode(),
        "isResidentCredential": True,
        "rpId": rp_id,
        "privateKey": base64.b64encode(der).decode(),
        "userHandle": base64.b64encode(_normal(username)).decode(),
        "signCount": 0,
    }
