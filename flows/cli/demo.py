"""`tracesctl demo`: the main journey against the embedded offline portal.

Starts the portal on a free port, then follows the guide: a newcomer creates an EU Login account
(guide A: the form, the captcha, the e-mail's link, the password), registers the EU Login app
(guide B: the QR code, scanned by the portal's simulated phone) and signs in to TRACES with it
(guide H). Then it enrolls a passkey for another account through My Account and signs in to
TRACES with every second factor in Swedish and English, each in a fresh browser context. The
password alone opens EU Login's own pages (My account), and TRACES refuses it (TNT-HELP, LIVS:
two factors for every TRACES user since 11 June 2024): the demo shows both, the refusal as the
outcome it expects. It prints a summary. The seed accounts and their passwords are public test
data of the offline portal (README: Seed data), so the demo supplies them itself.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Browser

from automation.browser import account_context, launch_browser, started_playwright
from automation.config import AccountConfig, Settings
from automation.errors import TWO_FACTORS_FOR_TRACES, MethodNotAllowedError, TracesctlError
from automation.factors import build_factor
from automation.mailbox import OfflinePortalMailbox
from automation.passwords import generate_password
from automation.portal_client import PortalClient
from automation.secrets import Secret, redact
from automation.stub.server import StubServer
from automation.stub.state import DEMO_APP_SECRET, DEMO_APP_SECRET_2, seed_accounts
from automation.vocabulary import FactorKind
from flows.jobs.enroll import enroll_app, enroll_passkey
from flows.jobs.signin import sign_in_to_eulogin, sign_in_to_traces
from flows.jobs.signup import NewPerson, OfflinePortalCaptcha, sign_up

# (account name, seeded e-mail, factor, otp source); the QR-code method gets one device per
# locale so that the second run need not wait for a fresh one-time-password window.
DEMO_ACCOUNTS = (
    ("passkey", "pia.passkey@vaxtexport.se", FactorKind.PASSKEY, "prompt"),
    ("app-qr-sv", "olle.app@vaxtexport.se", FactorKind.APP_QR, "totp-env:DEMO_APP_SECRET"),
    ("app-qr-en", "karin.app@vaxtexport.se", FactorKind.APP_QR, "totp-env:DEMO_APP_SECRET_2"),
    ("app-pin", "olle.app@vaxtexport.se", FactorKind.APP_PIN, "prompt"),
    ("password", "lars.losen@vaxtexport.se", FactorKind.PASSWORD, "prompt"),
)
RUNS = {
    "sv": ("passkey", "app-qr-sv", "app-pin"),
    "en": ("passkey", "app-qr-en", "app-pin"),
}
MY_ACCOUNT = "EU Login: My account"
REFUSED_AS_EXPECTED = "refused, as expected: TRACES needs two factors"
NEWCOMER = NewPerson("Nora", "Nyström", "nora.nystrom@grontexport.se", "sv")
NEWCOMER_PIN = "4711"


@dataclass
class Row:
    locale: str
    factor: str
    email: str
    outcome: str
    seconds: float
    expected: str = "TRACES"  # the outcome the step should end in

    @property
    def as_expected(self) -> bool:
        return self.outcome == self.expected


def demo_accounts(home: Path, locale: str) -> dict[str, AccountConfig]:
    return {
        name: AccountConfig(name=name, email=email, password_env=f"DEMO_PASSWORD_{email}", factor=factor,
                            locale=locale, passkey_file=home / "passkeys" / "demo.json", otp_source=otp,
                            pin_timeout_s=30)
        for name, email, factor, otp in DEMO_ACCOUNTS
    }


def run_demo(base: Settings) -> int:
    environ = {f"DEMO_PASSWORD_{a.username}": a.password for a in seed_accounts(datetime.now(UTC)).values()}
    environ |= {"DEMO_APP_SECRET": DEMO_APP_SECRET, "DEMO_APP_SECRET_2": DEMO_APP_SECRET_2}
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="tracesctl-demo-") as tmp, StubServer() as stub:
        home = Path(tmp)
        settings = replace(base, base_url=stub.base_url, home=home, artifacts_dir=base.artifacts_dir)
        # The simulated phone approves app PIN requests after a second, as a person would.
        PortalClient(stub.base_url).settings(app_auto_approve_s=1.0)
        print(f"offline portal at {stub.base_url}")
        with started_playwright() as playwright:
            browser = launch_browser(playwright, settings)
            try:
                rows.append(_newcomer(browser, settings, home, environ))
                enrolling = demo_accounts(home, "sv")["passkey"]
                with account_context(browser, settings, "demo-enroll", "sv") as context:
                    enroll_passkey(context.new_page(), settings, enrolling, enrolling.password(environ))
                print(f"passkey enrolled for {enrolling.email}")
                for locale, names in RUNS.items():
                    accounts = demo_accounts(home, locale)
                    rows.extend(_sign_in(browser, settings, accounts[name], environ, locale) for name in names)
                    rows.append(_my_account(browser, settings, accounts["password"], environ, locale))
                    rows.append(_password_alone(browser, settings, accounts["password"], environ, locale))
            finally:
                browser.close()
    _print_table(rows)
    failed = [r for r in rows if not r.as_expected]
    reached = sum(r.outcome == "TRACES" for r in rows)
    print(f"\n{len(rows) - len(failed)} of {len(rows)} steps went as expected ({reached} sign-ins reached TRACES; "
          "the password alone opened My account and was refused by TRACES).")
    return 0 if not failed else 1


def _newcomer(browser: Browser, settings: Settings, home: Path, environ: dict[str, str]) -> Row:
    """Guide A and B for a new person, then a sign-in with the app's QR-code method (guide H)."""
    started = time.monotonic()
    account = AccountConfig(name="newcomer", email=NEWCOMER.email, password_env="DEMO_NEWCOMER_PASSWORD",
                            factor=FactorKind.APP_QR, locale="sv", passkey_file=home / "passkeys" / "newcomer.json",
                            otp_source="totp-env:DEMO_NEWCOMER_APP")
    try:
        password = generate_password()
        with account_context(browser, settings, "demo-signup", "sv") as context:
            sign_up(context.new_page(), settings, NEWCOMER, OfflinePortalCaptcha(settings.base_url),
                    OfflinePortalMailbox(settings.base_url), password, lambda _: None, apply=True)
        environ["DEMO_NEWCOMER_PASSWORD"] = password.reveal()
        print(f"EU Login account created for {NEWCOMER.email} (captcha, e-mail link, password)")

        def phone_scans(modules: list[list[bool]]) -> None:
            answer = PortalClient(settings.base_url).call("app/enrol",
                                                          {"username": NEWCOMER.email, "pin": NEWCOMER_PIN})
            environ["DEMO_NEWCOMER_APP"] = Secret(answer["secret"]).reveal()

        with account_context(browser, settings, "demo-enroll-app", "sv") as context:
            enroll_app(context.new_page(), settings, account, password, "Noras telefon", Secret(NEWCOMER_PIN),
                       home / "qr" / "newcomer.png", phone_scans, lambda _: None, 60, apply=True)
        print(f"EU Login app registered for {NEWCOMER.email} (QR code scanned by the simulated phone)")
    except TracesctlError as exc:
        return Row("sv", "new account + app", NEWCOMER.email, f"failed: {redact(str(exc))}",
                   time.monotonic() - started)
    row = _sign_in(browser, settings, account, environ, "sv")
    return replace(row, factor=f"new account + {FactorKind.APP_QR}", seconds=time.monotonic() - started)


def _sign_in(browser: Browser, settings: Settings, account: AccountConfig, environ: Mapping[str, str],
             locale: str) -> Row:
    started = time.monotonic()
    try:
        factor = build_factor(account, environ)
        with account_context(browser, settings, f"demo-{account.name}-{locale}", locale) as context:
            sign_in_to_traces(context.new_page(), settings, account, account.password(environ), factor)
        outcome = "TRACES"
    except TracesctlError as exc:
        outcome = f"failed: {redact(str(exc))}"
    return Row(locale, account.factor, account.email, outcome, time.monotonic() - started)


def _my_account(browser: Browser, settings: Settings, account: AccountConfig, environ: Mapping[str, str],
                locale: str) -> Row:
    """EU Login's own pages take the password alone: signed in, then My account."""
    started = time.monotonic()
    try:
        with account_context(browser, settings, f"demo-my-account-{locale}", locale) as context:
            sign_in_to_eulogin(context.new_page(), settings, account, account.password(environ)).open_my_account()
        outcome = MY_ACCOUNT
    except TracesctlError as exc:
        outcome = f"failed: {redact(str(exc))}"
    return Row(locale, "password alone", account.email, outcome, time.monotonic() - started, MY_ACCOUNT)


def _password_alone(browser: Browser, settings: Settings, account: AccountConfig, environ: Mapping[str, str],
                    locale: str) -> Row:
    """TRACES with the password alone: EU Login does not offer it there, and nothing is sent. The
    refusal is caught inside the browser context: an expected outcome keeps no failure artefacts."""
    started = time.monotonic()
    try:
        with account_context(browser, settings, f"demo-password-{locale}", locale) as context:
            try:
                sign_in_to_traces(context.new_page(), settings, account, account.password(environ),
                                  build_factor(account, environ))
                outcome = "TRACES"
            except MethodNotAllowedError as exc:
                outcome = REFUSED_AS_EXPECTED if TWO_FACTORS_FOR_TRACES in str(exc) else f"failed: {redact(str(exc))}"
    except TracesctlError as exc:
        outcome = f"failed: {redact(str(exc))}"
    return Row(locale, "password alone", account.email, outcome, time.monotonic() - started, REFUSED_AS_EXPECTED)


def _print_table(rows: list[Row]) -> None:
    from flows.reports.table import table

    print()
    print(table(("locale", "second factor", "account", "outcome", "seconds"),
                [(r.locale, r.factor, r.email, r.outcome if r.as_expected else f"{r.outcome} (expected: {r.expected})",
                  f"{r.seconds:.1f}") for r in rows]))
