"""Signing in to TRACES through EU Login with every second factor, in Swedish and English."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from automation.config import AccountConfig, Settings
from automation.errors import (
    AccountBlockedError,
    AccountInactiveError,
    AccountSuspendedError,
    ApprovalTimeoutError,
    CredentialsRejectedError,
    MethodNotAllowedError,
    SecondFactorRefusedError,
)
from automation.factors import build_factor
from automation.factors.passkey import load_passkey
from flows.jobs.signin import sign_in_to_traces
from tests.helpers import (
    APP_USER,
    INACTIVE_USER,
    PASSKEY_USER,
    PASSWORD_USER,
    SUSPENDED_USER,
    Portal,
    make_account,
    phone_approving,
    traces_account,
)

pytestmark = pytest.mark.e2e

HOME_TEXT = {"sv": "Välkommen till TRACES", "en": "Welcome to TRACES"}
WRONG_PASSWORD_TEXT = {"sv": "Lösenordet du angav är felaktigt", "en": "The password you entered is incorrect"}


def sign_in(page: Page, settings: Settings, account: AccountConfig, environ: dict[str, str],  # type: ignore[no-untyped-def]
            ignore_hold: bool = False):
    return sign_in_to_traces(page, settings, account, account.password(environ), build_factor(account, environ),
                             ignore_hold=ignore_hold)


def assert_on_traces_home(page: Page, email: str, locale: str) -> None:
    expect(page).to_have_url(re.compile(r"/tracesnt/home$"))
    expect(page.get_by_text(email, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=HOME_TEXT[locale])).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", locale)


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_passkey_signs_in_and_advances_the_saved_sign_counter(
    page: Page, settings: Settings, enrolled: AccountConfig, environ: dict[str, str], portal: Portal, locale: str
) -> None:
    """A passkey from the 0600 file signs in; the portal's counter and the file's advance together."""
    account = replace(enrolled, locale=locale)
    before = load_passkey(account.passkey_file).sign_count
    sign_in(page, settings, account, environ)
    assert_on_traces_home(page, PASSKEY_USER, locale)
    after = load_passkey(account.passkey_file).sign_count
    assert after > before
    assert portal.account(PASSKEY_USER)["passkeys"][0]["sign_count"] == after
    assert portal.account(PASSKEY_USER)["traces_signins"] == 1


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_app_qr_code_signs_in_with_the_apps_one_time_password(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    """The QR-code screen shows a QR image; the RFC 6238 code from the device secret is accepted once."""
    account = make_account(APP_USER, "app-qr", locale, tmp_path, otp_source="totp-env:APP_SECRET")
    sign_in(page, settings, account, environ)
    assert_on_traces_home(page, APP_USER, locale)
    assert portal.form_count("cas.otp") == 1
    assert portal.account(APP_USER)["failed_second_factors"] == 0


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_app_pin_waits_until_the_phone_approves(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    """The waiting screen moves on by itself once the simulated app approves the request."""
    account = make_account(APP_USER, "app-pin", locale, tmp_path, pin_timeout_s=20)
    phone, approvals = phone_approving(portal, APP_USER)
    sign_in(page, settings, account, environ)
    phone.join()
    assert approvals, "the simulated phone never saw a pending request"
    assert_on_traces_home(page, APP_USER, locale)
    assert portal.form_count("cas.mobile") == 1


def test_app_pin_reports_a_timeout_when_nobody_approves(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """An unapproved request ends on the portal's expiry screen and a clear timeout error."""
    portal.call("settings", {"pin_timeout_s": 2})
    account = make_account(APP_USER, "app-pin", "en", tmp_path, pin_timeout_s=20)
    with pytest.raises(ApprovalTimeoutError, match="expired"):
        sign_in(page, settings, account, environ)
    expect(page.get_by_role("alert")).to_contain_text("Your authentication request has expired")
    assert portal.account(APP_USER)["traces_signins"] == 0


PASSWORD_LABEL = {"sv": "Lösenord", "en": "Password"}


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_password_alone_never_reaches_traces_under_the_newest_default(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    """Issue 20 section 2 (TNT-HELP, LIVS): since 11 June 2024 no account reaches TRACES with the password
    alone, not even one the older offline portal let in (marked password_only_allowed). EU Login's
    chooser offers no "Password"; the toolkit says why before sending the password. Under the `older`
    preset the marked account still gets in with it."""
    account = make_account(PASSWORD_USER, "password", locale, tmp_path)
    with pytest.raises(MethodNotAllowedError, match="11 June 2024"):
        sign_in(page, settings, account, environ)
    methods = page.get_by_role("listbox")
    expect(methods.get_by_role("option").first).to_be_visible()  # the list the toolkit opened, as a user sees it
    expect(methods.get_by_role("option", name=PASSWORD_LABEL[locale], exact=True)).to_have_count(0)
    state = portal.account(PASSWORD_USER)
    assert (state["traces_signins"], state["failed_passwords"], portal.form_count("cas.password")) == (0, 0, 0)

    portal.call("variants", {"preset": "older"})
    page.context.clear_cookies()
    sign_in(page, settings, account, environ)
    assert_on_traces_home(page, PASSWORD_USER, locale)
    assert portal.account(PASSWORD_USER)["traces_signins"] == 1


def test_password_alone_is_refused_where_traces_needs_two_factors(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """TRACES asks for two factors. EU Login's newest screens do not offer "Password" then: the
    toolkit says so before sending anything. Older screens offered it and refused it afterwards."""
    account = make_account(APP_USER, "password", "en", tmp_path)
    with pytest.raises(MethodNotAllowedError, match="does not offer 'Password'"):
        sign_in(page, settings, account, environ)
    assert (portal.account(APP_USER)["traces_signins"], portal.account(APP_USER)["failed_passwords"]) == (0, 0)

    portal.call("variants", {"preset": "older"})
    page.context.clear_cookies()
    with pytest.raises(MethodNotAllowedError):
        sign_in(page, settings, account, environ)
    expect(page.get_by_role("alert")).to_contain_text("requires two-factor authentication")
    assert portal.account(APP_USER)["traces_signins"] == 0


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_wrong_password_shows_the_message_and_costs_exactly_one_attempt(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    """A wrong password is reported, never retried: the portal counts one failed attempt."""
    account = traces_account(PASSWORD_USER, locale, tmp_path)
    environ = {**environ, account.password_env: "Not-The-Password-1!"}
    with pytest.raises(CredentialsRejectedError):
        sign_in(page, settings, account, environ)
    expect(page.get_by_role("alert")).to_contain_text(WRONG_PASSWORD_TEXT[locale])
    assert portal.account(PASSWORD_USER)["failed_passwords"] == 1
    assert portal.form_count("cas.password") == 1


def test_five_wrong_passwords_block_the_user_even_for_the_right_password(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """Guide I2: the fifth wrong password in a row blocks; then the right one gets the blocked message.
    (The portal's lockout: the toolkit itself stops after the first refusal unless a person ignores the hold.)"""
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    wrong = {**environ, account.password_env: "Not-The-Password-1!"}
    for _ in range(4):
        with pytest.raises(CredentialsRejectedError):
            sign_in(page, settings, account, wrong, ignore_hold=True)
    with pytest.raises(AccountBlockedError):
        sign_in(page, settings, account, wrong, ignore_hold=True)
    with pytest.raises(AccountBlockedError):
        sign_in(page, settings, account, environ, ignore_hold=True)
    expect(page.get_by_role("alert")).to_contain_text("has been blocked")
    state = portal.account(PASSWORD_USER)
    assert (state["failed_passwords"], state["blocked"], state["traces_signins"]) == (5, True, 0)


def test_single_sign_on_skips_the_eulogin_form(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """With a live EU Login session, a later TRACES visit goes straight to the home page."""
    account = make_account(APP_USER, "app-qr", "sv", tmp_path, otp_source="totp-env:APP_SECRET")
    first = sign_in(page, settings, account, environ)
    page.context.clear_cookies(name="JSESSIONID")  # TRACES session gone, EU Login session live
    second = sign_in(page, settings, account, environ)
    assert (first.single_sign_on, second.single_sign_on) == (False, True)
    assert_on_traces_home(page, APP_USER, "sv")
    state = portal.account(APP_USER)
    assert (state["eulogin_signins"], state["traces_signins"]) == (1, 2)
    assert portal.form_count("cas.whoami") == 1


def test_passkey_with_a_stale_sign_counter_is_refused(
    page: Page, settings: Settings, enrolled: AccountConfig, environ: dict[str, str], portal: Portal
) -> None:
    """A copy of the credential taken before a sign-in (a clone) presents an old counter: refused."""
    stale_copy = enrolled.passkey_file.read_bytes()
    sign_in(page, settings, enrolled, environ)
    page.context.clear_cookies()
    enrolled.passkey_file.write_bytes(stale_copy)
    with pytest.raises(SecondFactorRefusedError):
        sign_in(page, settings, enrolled, environ)
    expect(page.get_by_role("alert")).to_contain_text("kunde inte verifieras")
    state = portal.account(PASSKEY_USER)
    assert (state["failed_second_factors"], state["traces_signins"]) == (1, 1)


def test_a_run_killed_before_it_saved_the_sign_counter_still_signs_in_next_time(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The authenticator signs, EU Login takes the counter, then the run dies before `finish` saves it
    (a kill, a lost browser). The file was saved one ahead when the passkey was put in the browser, so
    the next run presents a higher counter, not the stale one EU Login refuses as a clone's."""
    from automation.factors.passkey import Passkey

    account = traces_account(PASSWORD_USER, "en", tmp_path)
    killed_before_saving = Passkey.finish
    monkeypatch.setattr(Passkey, "finish", lambda self, page: self._authenticator.remove())  # type: ignore[union-attr]
    sign_in(page, settings, account, environ)
    monkeypatch.setattr(Passkey, "finish", killed_before_saving)
    page.context.clear_cookies()
    sign_in(page, settings, account, environ)
    state = portal.account(PASSWORD_USER)
    assert (state["traces_signins"], state["failed_second_factors"]) == (2, 0)
    assert load_passkey(account.passkey_file).sign_count == state["passkeys"][0]["sign_count"]


def test_a_cas_ticket_cannot_be_replayed(
    page: Page, browser: Browser, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """The service ticket works once: replaying its URL in a fresh browser opens no TRACES session."""
    ticket_urls: list[str] = []
    page.on("request", lambda r: ticket_urls.append(r.url) if "ticket=ST-" in r.url else None)
    sign_in(page, settings, traces_account(PASSWORD_USER, "en", tmp_path), environ)
    assert len(ticket_urls) == 1
    sessions_before = portal.state()["sessions"]["traces"]
    attacker = browser.new_context()
    try:
        replay = attacker.new_page()
        response = replay.goto(ticket_urls[0])
        assert response is not None and response.status == 401
        expect(replay.get_by_role("alert")).to_contain_text("Authentication failed")
    finally:
        attacker.close()
    assert portal.state()["sessions"]["traces"] == sessions_before
    assert portal.account(PASSWORD_USER)["traces_signins"] == 1


def test_an_inactive_account_is_reported_as_inactive_not_signed_in(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """More than four months without TRACES (portal clock): TRACES shows the account inactive."""
    with pytest.raises(AccountInactiveError, match="^inactive: "):
        sign_in(page, settings, traces_account(INACTIVE_USER, "en", tmp_path), environ)
    expect(page.get_by_text("Your account is inactive")).to_be_visible()
    assert portal.account(INACTIVE_USER)["traces_signins"] == 0


def test_moving_the_portal_clock_past_four_months_makes_an_account_inactive(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """The inactivity rule follows the portal's clock: 10 days used + 4 months on = inactive."""
    portal.call("clock", {"advance_days": 125})
    with pytest.raises(AccountInactiveError):
        sign_in(page, settings, traces_account(PASSWORD_USER, "sv", tmp_path), environ)
    expect(page.get_by_text("Ditt konto är inaktivt")).to_be_visible()


def test_a_suspended_user_is_reported_with_the_unsuspend_advice(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """After a two-factor reset TRACES suspends the user; the error says who can lift it."""
    with pytest.raises(AccountSuspendedError, match="ask an administrator of the operator to unsuspend"):
        sign_in(page, settings, traces_account(SUSPENDED_USER, "en", tmp_path), environ)
    expect(page.get_by_text("Your user account is suspended")).to_be_visible()


def test_a_server_error_is_retried_and_the_sign_in_succeeds(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An injected 503 on the entry page is transient: retried, then the sign-in goes through."""
    from structlog.testing import capture_logs
    from tenacity import wait_none

    import flows.jobs.signin

    quick = flows.jobs.signin._reach_password_step.retry_with(wait=wait_none())  # type: ignore[attr-defined]
    monkeypatch.setattr(flows.jobs.signin, "_reach_password_step", quick)  # type: ignore[attr-defined]
    portal.call("faults", {"fail_next": 1})
    with capture_logs() as logs:
        sign_in(page, settings, traces_account(PASSWORD_USER, "en", tmp_path), environ)
    assert_on_traces_home(page, PASSWORD_USER, "en")
    assert any(entry["log_level"] == "warning" and entry["event"].startswith(
        "signing in to EU Login from TRACES failed; trying again") for entry in logs), logs
    assert portal.account(PASSWORD_USER)["traces_signins"] == 1
