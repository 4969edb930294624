"""`tracesctl stub`: serve the offline portal; `tracesctl portal compare`: capture it in-process.
With flows/cli/demo.py, the only toolkit modules that may import it (an import-linter contract holds the
rest to it); it ships as the `portal` extra."""

from __future__ import annotations

from dataclasses import replace
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from automation.errors import ConfigError
from flows.jobs.seeded_passkeys import write_seeded_passkey

if TYPE_CHECKING:
    from automation.config import Settings

PORTAL_MODULES = ("flask", "webauthn", "qrcode")


def require_portal_extra(command: str) -> None:
    """A production install leaves the offline portal out: say in one line how to add it."""
    missing = [name for name in PORTAL_MODULES if find_spec(name) is None]
    if missing:
        raise ConfigError(f"{command} needs the offline portal, which is not installed ({', '.join(missing)} "
                          "missing): pip install 'tracesctl[portal]'")


def variant_choices() -> dict[str, list[Any]]:
    from automation.stub.variants import choices

    return choices()


# `stub --preset`'s names, and the control API's preset each stands for.
PRESETS = {"newest": "newest_official", "older": "older"}


def variant_lines() -> list[str]:
    """Each variant, the values it takes, its default and its older setting, a line each."""
    from automation.stub.variants import DEFAULTS, OLDER

    def spelt(value: Any) -> str:  # as --variant takes it: true, not True
        return str(value).lower() if isinstance(value, bool) else str(value)

    return [f"{name}: {' | '.join(map(spelt, values))} (default {spelt(getattr(DEFAULTS, name))}, "
            f"older {spelt(getattr(OLDER, name))})" for name, values in variant_choices().items()]


def print_variants() -> int:
    """`stub --list-variants`."""
    print("\n".join(variant_lines()))
    return 0


def chosen_variants(preset: str | None, given: list[str]) -> dict[str, Any]:
    """--preset and --variant as the control API's variants request; a bad name or value is exit 2."""
    changes: dict[str, Any] = {"preset": PRESETS[preset]} if preset else {}
    allowed = variant_choices()
    for item in given:
        name, _, raw = item.partition("=")
        values = {str(v).lower() if isinstance(v, bool) else str(v): v for v in allowed.get(name, [])}
        if raw not in values:
            known = ", ".join(allowed) if name not in allowed else " | ".join(values)
            raise ConfigError(f"--variant {item!r}: " + (f"unknown; known: {known}" if name not in allowed
                                                         else f"{name} takes {known}"))
        changes[name] = values[raw]
    return changes


def port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug binds: TIME_WAIT is free
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def serve_offline_portal(host: str, port: int, drift: list[str], variants: dict[str, Any] | None = None) -> int:
    require_portal_extra("tracesctl stub")
    from automation.stub.i18n import LABELS
    from automation.stub.server import StubServer, is_loopback

    if not 0 <= port <= 65535:
        raise ConfigError(f"--port must be between 0 and 65535, not {port}")
    if not is_loopback(host):
        raise ConfigError(f"the offline portal only listens on loopback (127.0.0.1, ::1, localhost), not {host!r}")
    if port and not port_free(host, port):  # werkzeug would print its own lines, then exit 1
        raise ConfigError(f"port {port} on {host} is in use by another program: stop it, or choose another "
                          "with --port (0 picks a free one)")
    try:
        server = StubServer(host, port)
    except (OSError, SystemExit) as error:  # werkzeug ends with SystemExit(1) on a port in use
        raise ConfigError(f"port {port} on {host} is in use by another program: stop it, or choose another "
                          "with --port (0 picks a free one)") from error
    if variants:
        from automation.stub.variants import apply

        server.state.variants = apply(server.state.variants, variants)
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
    print(f"use it from another terminal: export TRACESCTL_BASE_URL={server.base_url}  "
          "(accounts: tracesctl stub --print-accounts)", flush=True)
    try:
        server.serve_forever()
    finally:
        server.stop()
    return 0


# The seeded accounts `stub --print-accounts` offers a newcomer: (account name, e-mail, what it shows). Each
# signs in to TRACES with the passkey the portal seeded for it (TRACES takes no password alone).
PRINTED_ACCOUNTS = (("lars", "lars.losen@vaxtexport.se", "an exporter's user"),
                    ("anna", "anna.admin@vaxtexport.se", "an administrator: approve, audit"),
                    ("nils", "nils.ny@vaxtexport.se", "new to TRACES: request-access"))


def print_seeded_accounts(port: int, passkeys: Path) -> int:
    """The lines a newcomer pastes to try tracesctl against `tracesctl stub` on `port`: the base URL,
    the passwords (single quotes: they end in "!"), and an accounts file for the seeded accounts. Their
    passkey files are written into `passkeys` (0700, each file 0600; one kept if it is there already,
    its counter may be ahead), never printed: a private key has no business on a terminal."""
    require_portal_extra("tracesctl stub --print-accounts")
    from automation.ledger import utc_now
    from automation.stub.state import seed_accounts

    seeded = seed_accounts(utc_now())
    base_url = f"http://localhost:{port}"
    passkeys = passkeys.expanduser().absolute()
    if passkeys.is_dir() and passkeys.stat().st_mode & 0o077:
        raise ConfigError(f"--passkeys-dir {passkeys} can be read by others (mode "
                          f"{oct(passkeys.stat().st_mode & 0o777)}): choose a private folder (0700) or a new one")
    files = {name: passkeys / f"{name}.json" for name, _, _ in PRINTED_ACCOUNTS}
    for name, email, _ in PRINTED_ACCOUNTS:
        write_seeded_passkey(email, files[name], base_url)
    print("# The offline portal's seeded accounts. Paste the export lines into your shell, and save the")
    print("# rest as accounts.toml (or: tracesctl stub --print-accounts | sed -n '/^\\[/,$p' > accounts.toml).")
    print("# TRACES wants a second factor: each account's passkey (public test data of the offline portal) is in")
    print(f"# {passkeys} (0600 files; --passkeys-dir chooses the folder).")
    print(f"export TRACESCTL_BASE_URL={base_url}")
    for name, email, _ in PRINTED_ACCOUNTS:
        print(f"export {name.upper()}_PASSWORD='{seeded[email].password}'")
    print()
    for name, email, what in PRINTED_ACCOUNTS:
        print(f"[accounts.{name}]  # {what}\nemail = \"{email}\"\npassword_env = \"{name.upper()}_PASSWORD\"\n"
              f"factor = \"passkey\"\npasskey_file = \"{files[name]}\"\nlocale = \"en\"\n")
    return 0


# The seeded offline account `portal compare` signs in with: an administrator, so every screen is reached.
OFFLINE_CAPTURE_USER = "anna.admin@vaxtexport.se"


def capture_offline_portal(settings: Settings, locale: str) -> dict[str, Any]:
    """The offline portal's screens, captured the way `portal capture` captures the live ones: a
    fresh portal served in-process for the run, signed in as a seeded administrator."""
    require_portal_extra("tracesctl portal compare")
    import tempfile

    from automation.browser import account_page
    from automation.config import AccountConfig
    from automation.factors.passkey import Passkey
    from automation.secrets import Secret
    from automation.stub.server import StubServer
    from automation.vocabulary import FactorKind
    from flows.jobs.portal_capture import capture_screens

    # TRACES takes two factors: the administrator's seeded passkey, in a file that lives for the run.
    with StubServer() as server, tempfile.TemporaryDirectory(prefix="tracesctl-compare-") as keys:
        seeded = server.state.accounts[OFFLINE_CAPTURE_USER]
        offline = replace(settings, base_url=server.base_url)
        account = AccountConfig(name="offline-portal", email=OFFLINE_CAPTURE_USER, password_env="",
                                factor=FactorKind.PASSKEY, locale=locale,
                                passkey_file=Path(keys) / "offline-portal.json")
        write_seeded_passkey(OFFLINE_CAPTURE_USER, account.passkey_file, server.base_url)
        with account_page(offline, account.name, locale) as page:
            return capture_screens(page, offline, account, Secret(seeded.password), Passkey(account.passkey_file),
                                   locale)
