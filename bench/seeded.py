"""The offline portal's seeded passkeys for the benchmarks: both sides sign in to TRACES with them
(TRACES takes no password alone). The hand-written scripts keep no counters, and the tool's file
falls behind when a script signed in meanwhile: before each run (outside its timing) each side is
given the counter EU Login saw last, as a passkey kept by that side alone would hold it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from automation.factors.passkey import load_passkey, save_passkey
from automation.portal_client import PortalClient
from automation.stub.seeded_keys import virtual_authenticator_credential
from flows.jobs.seeded_passkeys import write_seeded_passkey


def portal_count(portal: PortalClient, email: str) -> int:
    return max((key["sign_count"] for key in portal.account(email)["passkeys"]), default=0)


def credential_now(portal: PortalClient, email: str) -> dict[str, Any]:
    """The passkey as Chromium's WebAuthn.addCredential takes it, with EU Login's last counter."""
    return {**virtual_authenticator_credential(email), "signCount": portal_count(portal, email)}


def file_now(portal: PortalClient, email: str, path: Path) -> Path:
    """The tool's passkey file for `email` (written if missing), its counter at least EU Login's last."""
    write_seeded_passkey(email, path, portal.base_url)
    credential = load_passkey(path)
    if credential.sign_count < portal_count(portal, email):
        credential.sign_count = portal_count(portal, email)
        save_passkey(path, credential)
    return path
