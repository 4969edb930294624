"""`tracesctl demo`: the main journey against the embedded offline portal.

Starts the portal on a free port, enrolls a passkey for the demo account through My Account,
then signs in to TRACES with every second factor in Swedish and English, each in a fresh
browser context, and prints a summary. The seed accounts and their passwords are public test
data of the offline portal (README: Seed data), so the demo supplies them itself.
"""

from __future__ import annotations

import json
import tempfile
import time
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

from automation.config import AccountConfig, Settings
from automation.errors import TracesctlError
from automation.factors import build_factor
from automation.secrets import redact
from automation.stub.server import StubServer
from automation.stub.state import DEMO_APP_SECRET, DEMO_APP_SECRET_2, seed_accounts

# (account name, seeded e-mail, factor, otp source); the QR-code method gets one device per
# locale so that the second run need not wait for a fresh one-time-password window.
DEMO_ACCOUNTS = (
    ("passkey", "pia.passkey@vaxtexport.se", "passkey", "prompt"),
    ("app-qr-sv", "olle.app@vaxtexport.se", "app-qr", "totp-env:DEMO_APP_SECRET"),
    ("app-qr-en", "karin.app@vaxtexport.se", "app-qr", "totp-env:DEMO_APP_SECRET_2"),
    ("app-pin", "olle.app@vaxtexport.se", "app-pin", "prompt"),
    ("password", "lars.losen@vaxtexport.se", "password", "prompt"),
)
RUNS = {
    "sv": ("passkey", "app-qr-sv", "app-pin", "password"),
    "en": ("passkey", "app-qr-en", "app-pin", "password"),
}


@dataclass
class Row:
    locale: str
    factor: str
    email: str
    outcome: str
    seconds: float


def _control(base_url: str, path: str, body: dict[str, object]) -> None:
    request = urllib.request.Request(f"{base_url}/__stub__/{path}", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10):
        pass


def demo_accounts(home: Path, locale: str) -> dict[str, AccountConfig]:
    return {
        name: AccountConfig(name=name, email=email, password_env=f"DEMO_PASSWORD_{email}", factor=factor,
                            locale=locale, passkey_file=home / "passkeys" / "demo.json", otp_source=otp,
                            pin_timeout_s=30)
        for name, email, factor, otp in DEMO_ACCOUNTS
    }


def run_demo(base: Settings) -> int:
    from playwright.sync_api import sync_playwright

    from automation.browser import account_context, launch_browser
    from flows.enroll import enroll_passkey
    from flows.signin import sign_in_to_traces

    environ = {f"DEMO_PASSWORD_{a.username}": a.password for a in seed_accounts(_now()).values()}
    environ |= {"DEMO_APP_SECRET": DEMO_APP_SECRET, "DEMO_APP_SECRET_2": DEMO_APP_SECRET_2}
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="tracesctl-demo-") as tmp, StubServer() as stub:
        home = Path(tmp)
        settings = replace(base, base_url=stub.base_url, home=home, artifacts_dir=base.artifacts_dir)
        # The simulated phone approves app PIN requests after a second, as a person would.
        _control(stub.base_url, "settings", {"app_auto_approve_s": 1.0})
        print(f"offline portal at {stub.base_url}")
        with sync_playwright() as playwright:
            browser = launch_browser(playwright, settings)
            try:
                enrolling = demo_accounts(home, "sv")["passkey"]
                with account_context(browser, settings, "demo-enroll", "sv") as context:
                    enroll_passkey(context.new_page(), settings, enrolling, enrolling.password(environ))
                print(f"passkey enrolled for {enrolling.email}")
                for locale, names in RUNS.items():
                    accounts = demo_accounts(home, locale)
                    for name in names:
                        rows.append(_sign_in(browser, settings, accounts[name], environ, locale,
                                             sign_in_to_traces, account_context))
            finally:
                browser.close()
    _print_table(rows)
    failed = [r for r in rows if r.outcome != "TRACES home"]
    print(f"\n{len(rows) - len(failed)} of {len(rows)} sign-ins reached the TRACES home page.")
    return 0 if not failed else 1


def _sign_in(browser, settings, account, environ, locale, sign_in_to_traces, account_context) -> Row:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    try:
        factor = build_factor(account, environ)
        with account_context(browser, settings, f"demo-{account.name}-{locale}", locale) as context:
            sign_in_to_traces(context.new_page(), settings, account, account.password(environ), factor)
        outcome = "TRACES home"
    except TracesctlError as exc:
        outcome = f"failed: {redact(str(exc))}"
    return Row(locale, account.factor, account.email, outcome, time.monotonic() - started)


def _print_table(rows: list[Row]) -> None:
    from flows.report import table

    print()
    print(table(("locale", "second factor", "account", "outcome", "seconds"),
                [(r.locale, r.factor, r.email, r.outcome, f"{r.seconds:.1f}") for r in rows]))


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)
