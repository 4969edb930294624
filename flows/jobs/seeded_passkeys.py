"""The passkey files of the offline portal's seeded accounts (public test data, like their passwords),
in the toolkit's own format: for `stub --print-accounts`, `portal compare`, the plugin's fixtures,
the tests and the benchmarks. The one job that reads the offline portal's seed (import contract)."""

from __future__ import annotations

from pathlib import Path

from automation.errors import ConfigError


def write_seeded_passkey(email: str, path: Path, base_url: str = "http://localhost") -> bool:
    """The passkey file (the toolkit's format, 0600, its folder 0700) for the passkey the offline portal
    seeded for `email` (automation/stub/seeded_keys.py: public test data, like the seeded passwords),
    for the host the browser visits (`base_url`'s: the WebAuthn relying party). A file that already
    holds that credential is kept: its sign counter may be ahead of the seed's 0, and the portal
    refuses a counter that goes back. Whether the file was written."""
    from urllib.parse import urlsplit

    from automation.factors.passkey import PasskeyCredential, load_passkey, save_passkey
    from automation.stub.seeded_keys import virtual_authenticator_credential

    credential = PasskeyCredential.from_cdp(
        virtual_authenticator_credential(email, urlsplit(base_url).hostname or "localhost"))
    if path.exists():
        try:
            kept = load_passkey(path)
        except ConfigError:
            kept = None  # unreadable or not private: replaced by a good one
        if kept is not None and (kept.credential_id, kept.rp_id) == (credential.credential_id, credential.rp_id):
            return False
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    save_passkey(path, credential)
    return True
