"""EU Login's step two as live code sees it (issue 20, round 3): every verification-method chooser
the offline portal can draw, with every factor, in Swedish and English; step one posted by a
script; the #fallbackLink page; a logout that asks first. One short sign-in per case."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import product
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from automation.catalog import Catalog
from automation.config import AccountConfig, Settings
from automation.factors import build_factor
from automation.pages.eulogin.password import PasswordPage
from automation.pages.eulogin.whoami import WhoamiPage
from automation.vocabulary import FactorKind
from flows.jobs.signin import sign_in_to_eulogin, sign_in_to_traces
from tests.helpers import APP_USER, PASSKEY_USER, PASSWORD_USER, Portal, make_account, password_env, traces_account

pytestmark = pytest.mark.e2e

CHOOSERS = ("dropdown", "native_select", "dropdown_hidden_select")
# factor -> (its account, the portal's counter of its own screen: proof the chosen method was used)
FACTORS = {"password": (PASSWORD_USER, None), "passkey": (PASSKEY_USER, "cas.webauthn"),
           "app-qr": (APP_USER, "cas.otp"), "app-pin": (APP_USER, "cas.mobile")}
OWN_SCREENS = ("cas.webauthn", "cas.otp", "cas.mobile")


# Every factor with every chooser, each pair in one language, alternating: every factor and every
# chooser is still passed in both languages (12 runs, not 24).
PAIRS = [(factor, chooser, ("sv", "en")[n % 2]) for n, (factor, chooser) in enumerate(product(FACTORS, CHOOSERS))]


@pytest.mark.parametrize(("factor", "chooser", "locale"), PAIRS)
def test_every_factor_signs_in_whichever_method_chooser_the_page_draws(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path,
    request: pytest.FixtureRequest, factor: str, chooser: str, locale: str,
) -> None:
    """The drop-down (default; Password not preselected), the visible native select (older), and the
    drop-down with the native select hidden behind it: the method is chosen by its strength code,
    and the portal's counters show that method's own screen was the one passed. The password alone
    signs in where EU Login takes it, its own pages (TRACES never does: issue 20 section 2)."""
    email, screen = FACTORS[factor]
    if factor == "passkey":  # enrolled first, through the default chooser
        enrolled: AccountConfig = request.getfixturevalue("enrolled")
        account = replace(enrolled, locale=locale)
    else:
        extra = {"otp_source": "totp-env:APP_SECRET"} if factor == "app-qr" else {}
        account = make_account(email, factor, locale, tmp_path, **extra)
    portal.call("settings", {"app_auto_approve_s": 0.3})  # the phone approves an app PIN request
    portal.call("variants", {"method_chooser": chooser})
    if factor == "password":
        assert sign_in_to_eulogin(page, settings, account, account.password(environ)).is_shown()
        assert portal.account(email)["eulogin_signins"] == 1
    else:
        signed_in = sign_in_to_traces(page, settings, account, account.password(environ),
                                      build_factor(account, environ))
        assert signed_in.home.is_shown()
        assert portal.account(email)["traces_signins"] == 1
    assert {s: portal.form_count(s) for s in OWN_SCREENS} == {s: int(s == screen) for s in OWN_SCREENS}


def _password_step(page: Page, portal: Portal, locale: str) -> PasswordPage:
    """Step two for the app user, step one posted by a script's form.submit() (no Next button in it)."""
    whoami = WhoamiPage(page, Catalog(locale)).open(f"{portal.base_url}/cas", locale)
    whoami.enter_email(APP_USER)
    page.evaluate("document.getElementById('whoamiForm').submit()")
    return PasswordPage(page, whoami.catalog).wait_until_loaded()


def test_step_one_posted_without_the_next_button_reaches_step_two_and_the_controls_nest_as_live(
    page: Page, portal: Portal, environ: dict[str, str]
) -> None:
    """A Selenium form.submit() reaches the password step live; Next and Sign in sit in div wrappers at
    the peers' XPaths; Enter in the password field submits; the cookies carry their live names."""
    page.goto(f"{portal.base_url}/cas/login")
    expect(page.locator('xpath=//*[@id="whoamiForm"]/div[2]/div[2]/button')).to_have_attribute(
        "name", "whoamiSubmit")
    step2 = _password_step(page, portal, "en")
    assert portal.form_count("cas.whoami.without_button") == 1
    expect(page.locator('xpath=//*[@id="loginForm"]/div/div[9]/input')).to_have_attribute("name", "_submit")
    expect(page.locator("#verif-method-dd-id .verif-method-dd-placeholder__icon-container")).to_be_visible()
    expect(page.locator("#verif-method-dd-id")).not_to_contain_text("Password")  # not preselected
    step2.choose_method(FactorKind.APP_QR)
    step2.password_field.fill(environ[password_env(APP_USER)])
    step2.password_field.press("Enter")
    expect(page.get_by_role("img", name="QR code for the EU Login app")).to_be_visible()
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert "__Secure-ECAS_SESSIONID" in cookies and cookies["__Secure-ECAS_SESSIONID"]["expires"] == -1


def test_the_label_is_the_fallback_when_no_option_carries_the_strength_code(
    page: Page, portal: Portal, environ: dict[str, str]
) -> None:
    """Only #verif-method-dd-PASSWORD is quoted by live code: where the other options have no such
    id, the method is found by its visible label."""
    step2 = _password_step(page, portal, "en")
    page.evaluate("for (const o of document.querySelectorAll('.verif-method-dd-options [data-strength]'))"
                  " { if (o.dataset.strength !== 'PASSWORD') o.removeAttribute('id'); }")
    step2.choose_method(FactorKind.APP_QR)
    assert page.locator("#loginForm [name=loginStrength]").input_value() == "PASSWORD_SOFTWARE_TOKEN"


def test_the_fallback_page_moves_on_by_itself_and_the_session_opens_at_the_service(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """Switched on, #fallbackLink stands between Sign in and TRACES and moves on by itself; the sign-in
    reaches TRACES, EU Login's session opened once, on the way to the service."""
    portal.call("variants", {"fallback_interstitial": True})
    account = traces_account(PASSWORD_USER, "sv", tmp_path)
    signed_in = sign_in_to_traces(page, settings, account, account.password(environ), build_factor(account, environ))
    assert signed_in.home.is_shown()
    assert (portal.form_count("cas.fallback_shown"), portal.form_count("cas.fallback_followed")) == (1, 1)
    assert portal.account(PASSWORD_USER)["eulogin_signins"] == 1
    expires = {c["name"]: c["expires"] for c in page.context.cookies()}
    assert expires["__Secure-CASTGC"] == -1 and expires["__Secure-ECAS_AAP_1"] > 0


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_sign_out_answers_a_logout_that_asks_first(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, locale: str
) -> None:
    """OE-AUTH's mock: a logout TRACES starts asks "Log me out" / "No, stay logged in!"; the toolkit's
    sign-out answers "Log me out" and lands on "You have logged out of EU Login"."""
    portal.call("variants", {"logout_confirmation": True})
    account = traces_account(PASSWORD_USER, locale, tmp_path)
    signed_in = sign_in_to_traces(page, settings, account, account.password(environ), build_factor(account, environ))
    signed_in.home.log_out()
    assert (portal.form_count("cas.logout_asked"), portal.form_count("cas.logout_confirmed")) == (1, 1)
    assert portal.state()["sessions"]["eulogin"] == 0
    expect(page).to_have_url(re.compile(r"/cas/logout$"))
