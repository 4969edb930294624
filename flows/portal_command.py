"""`tracesctl stub`: serve the offline portal. With flows/demo.py, the only toolkit modules that may
import it (an import-linter contract holds the rest to it); it ships as the `portal` extra."""

from __future__ import annotations

from importlib.util import find_spec

from automation.errors import ConfigError

PORTAL_MODULES = ("flask", "webauthn", "qrcode")


def require_portal_extra(command: str) -> None:
    """A production install leaves the offline portal out: say in one line how to add it."""
    missing = [name for name in PORTAL_MODULES if find_spec(name) is None]
    if missing:
        raise ConfigError(f"{command} needs the offline portal, which is not installed ({', '.join(missing)} "
                          "missing): pip install 'tracesctl[portal]'")


def serve_offline_portal(host: str, port: int, drift: list[str]) -> int:
    require_portal_extra("tracesctl stub")
    from automation.stub.i18n import LABELS
    from automation.stub.server import StubServer, is_loopback

    if not is_loopback(host):
        raise ConfigError(f"the offline portal only listens on loopback (127.0.0.1, ::1, localhost), not {host!r}")
    server = StubServer(host, port)
    for item in drift:
        key, _, label = item.partition("=")
        locales = [key.split(":", 1)[0]] if ":" in key else list(LABELS)
        key = key.split(":", 1)[-1]
        if not label or key not in LABELS["en"] or any(loc not in LABELS for loc in locales):
            raise ConfigError(f"--drift wants KEY=NEW_LABEL with a known label key, not {item!r}")
        for locale in locales:
            server.state.drift[f"{locale}:{key}"] = label
    print(f"offline portal at {server.base_url}/tracesnt/login (EU Login at {server.base_url}/cas/login); "
          "Ctrl-C stops it", flush=True)
    try:
        server.serve_forever()
    finally:
        server.stop()
    return 0
