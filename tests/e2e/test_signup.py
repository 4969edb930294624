"""Creating an EU Login account (guide A1-A3) against the offline portal: the form and its captcha,
the verification e-mail in the portal's mailbox, the single-use expiring link, the first password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from automation.catalog import Catalog
from automation.config import Settings
from automation.errors import ConfigError, ResetLinkError
from automation.mailbox import OfflinePortalMailbox
from automation.pages.eulogin.new_password import NewPasswordPage
from automation.pages.eulogin.whoami import WhoamiPage
from automation.passwords import WeakPasswordError, generate_password, meets_rule
from automation.secrets import Secret
from flows.jobs.signin import sign_in_to_eulogin
from flows.jobs.signup import (
    InstitutionAddressError,
    NewPerson,
    OfflinePortalCaptcha,
    SignupRefusedError,
    sign_up,
)
from tests.helpers import PASSWORD_USER, Portal, make_account

pytestmark = pytest.mark.e2e
NEW = "nora.ny@grontexport.se"
SENDER = {"sv": "Autentiseringstjänst", "en": "Authentication Service"}


def person(language: str = "sv", email: str = NEW) -> NewPerson:
    return NewPerson.checked("Nora", "Nyström", email, language)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_sign_up_creates_the_account_and_it_signs_in(
    page: Page, settings: Settings, portal: Portal, tmp_path: Path, language: str
) -> None:
    kept: list[Secret] = []
    password = generate_password()
    result = sign_up(page, settings, person(language), OfflinePortalCaptcha(settings.base_url),
                     OfflinePortalMailbox(settings.base_url), password, kept.append, apply=True)

    assert result.outcome == "created" and kept == [password]
    expect(page.get_by_role("status")).to_contain_text(
        {"sv": "Ditt EU Login-konto har skapats", "en": "Your EU Login account has been created"}[language])
    mails = portal.call(f"mailbox?to={NEW}")
    assert [m["from"] for m in mails] == [SENDER[language]]
    assert portal.form_count("cas.register") == 1 and portal.form_count("cas.first_password") == 1
    assert NEW in portal.state()["accounts"] and portal.state()["signups"] == []
    # The account works: EU Login takes the new password (guide B1).
    page.context.clear_cookies()
    signed_in = sign_in_to_eulogin(page, settings, make_account(NEW, "password", language, tmp_path), password)
    assert signed_in.is_shown()
    assert portal.account(NEW)["eulogin_signins"] >= 1  # the newest screens sign in at the end of sign-up too


def test_dry_run_fills_the_form_and_sends_nothing(page: Page, settings: Settings, portal: Portal) -> None:
    result = sign_up(page, settings, person("sv"), OfflinePortalCaptcha(settings.base_url),
                     OfflinePortalMailbox(settings.base_url), generate_password(), lambda _: None, apply=False)
    assert result.outcome == "planned"
    expect(page.get_by_label("Förnamn")).to_have_value("Nora")
    expect(page.get_by_role("button", name="Skapa konto")).to_be_enabled()
    assert portal.form_count("cas.register") == 0 and portal.call(f"mailbox?to={NEW}") == []


def test_a_refused_captcha_is_answered_with_the_new_code(page: Page, settings: Settings, portal: Portal) -> None:
    class FirstWrong:
        """A person who misreads the first code, then reads the new one right."""

        def __init__(self) -> None:
            self.codes: list[str] = []

        def solve(self, image_png: bytes) -> str:
            assert image_png.startswith(b"\x89PNG")  # the person is shown the image
            code = "WRONG1" if not self.codes else OfflinePortalCaptcha(settings.base_url).solve(image_png)
            self.codes.append(code)
            return code

    solver = FirstWrong()
    result = sign_up(page, settings, person("en"), solver, OfflinePortalMailbox(settings.base_url),
                     generate_password(), lambda _: None, apply=True)
    assert result.outcome == "created" and len(solver.codes) == 2
    assert portal.form_count("cas.register") == 2 and len(portal.call(f"mailbox?to={NEW}")) == 1


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_a_person_who_asks_for_a_new_captcha_gets_one_from_the_regenerate_button(
    page: Page, settings: Settings, portal: Portal, locale: str
) -> None:
    """TNT-HELP: the captcha's regenerate button ("two arrows"). An empty answer asks for a new code:
    the button shows one in place (no form post), and the code of the new image is the one accepted."""
    class CannotRead:
        def __init__(self) -> None:
            self.images: list[bytes] = []

        def solve(self, image_png: bytes) -> str:
            self.images.append(image_png)
            return "" if len(self.images) == 1 else OfflinePortalCaptcha(settings.base_url).solve(image_png)

    solver = CannotRead()
    result = sign_up(page, settings, person(locale), solver, OfflinePortalMailbox(settings.base_url),
                     generate_password(), lambda _: None, apply=True)
    assert result.outcome == "created" and len(solver.images) == 2 and solver.images[0] != solver.images[1]
    assert portal.form_count("signup.captcha_regenerated") == 1 and portal.form_count("cas.register") == 1


def test_an_address_with_an_account_is_refused(page: Page, settings: Settings, portal: Portal) -> None:
    with pytest.raises(SignupRefusedError, match="already exists"):
        sign_up(page, settings, person("en", PASSWORD_USER), OfflinePortalCaptcha(settings.base_url),
                OfflinePortalMailbox(settings.base_url), generate_password(), lambda _: None, apply=True)
    assert portal.call(f"mailbox?to={PASSWORD_USER}") == []


def test_the_portal_refuses_an_institution_address(page: Page, settings: Settings, portal: Portal) -> None:
    """The portal's own check, reached by skipping the toolkit's (which refuses first: exit 2)."""
    with pytest.raises(InstitutionAddressError):
        NewPerson.checked("Ida", "Inst", "ida.inst@ec.europa.eu", "en")
    form = WhoamiPage(page, Catalog("en"), 10_000).open(settings.eulogin_url, "en").create_account()
    form.fill("Ida", "Inst", "ida.inst@ec.europa.eu", "en")
    with pytest.raises(SignupRefusedError, match="belongs to an institution"):
        form.create_account(OfflinePortalCaptcha(settings.base_url).solve(b""))
    assert portal.call("mailbox?to=ida.inst@ec.europa.eu") == []


def test_a_weak_password_is_refused_before_anything_is_sent(page: Page, settings: Settings, portal: Portal) -> None:
    with pytest.raises(WeakPasswordError):
        sign_up(page, settings, person("sv"), OfflinePortalCaptcha(settings.base_url),
                OfflinePortalMailbox(settings.base_url), Secret("weakpass12"), lambda _: None, apply=True)
    assert portal.form_count("cas.register") == 0


def test_the_link_works_once(page: Page, settings: Settings, portal: Portal) -> None:
    sign_up(page, settings, person("en"), OfflinePortalCaptcha(settings.base_url),
            OfflinePortalMailbox(settings.base_url), generate_password(), lambda _: None, apply=True)
    link = portal.call(f"mailbox?to={NEW}")[0]["link"]
    with pytest.raises(ResetLinkError):
        NewPasswordPage(page, Catalog("en"), 10_000).open(Secret(link))
    expect(page.get_by_role("alert")).to_contain_text("no longer valid")


def test_an_expired_link_creates_no_account(page: Page, settings: Settings, portal: Portal) -> None:
    portal.call("settings", {"reset_ttl_s": 0})
    kept: list[Secret] = []
    with pytest.raises(SignupRefusedError, match="expired"):
        sign_up(page, settings, person("sv"), OfflinePortalCaptcha(settings.base_url),
                OfflinePortalMailbox(settings.base_url), generate_password(), kept.append, apply=True)
    assert kept == [] and NEW not in portal.state()["accounts"]


@pytest.mark.parametrize(
    ("first", "last", "email", "language", "error"),
    [
        ("", "Nyström", NEW, "sv", "first name and a last name"),
        ("Nora", "Nyström", "nora-at-example", "sv", "not an e-mail address"),
        ("Nora", "Nyström", "nora@consilium.europa.eu", "sv", "institution"),
        ("Nora", "Nyström", NEW, "de", "--language"),
    ],
)
def test_bad_details_are_refused_with_a_reason(first: str, last: str, email: str, language: str, error: str) -> None:
    with pytest.raises(ConfigError, match=error):
        NewPerson.checked(first, last, email, language)


def run_signup(stub, tmp_path: Path, *extra: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "flows", "--base-url", stub.base_url, "signup", "--first-name", "Nora",
         "--last-name", "Nyström", "--email", NEW, "--captcha", "offline-portal", "--mailbox", "offline-portal",
         *extra],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
        env={**os.environ, "TRACESCTL_HOME": str(tmp_path / "home"), **(env or {})})


def test_the_command_creates_the_account_and_stores_the_password(stub, portal: Portal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "nora.txt"
    dry = run_signup(stub, tmp_path, "--password-file", str(target))
    assert dry.returncode == 0 and "DRY RUN" in dry.stdout and not target.exists()
    assert portal.form_count("cas.register") == 0

    run = run_signup(stub, tmp_path, "--password-file", str(target), "--apply")
    assert run.returncode == 0, run.stderr
    assert target.stat().st_mode & 0o777 == 0o600 and meets_rule(target.read_text().strip())
    assert target.read_text().strip() not in run.stdout + run.stderr
    assert NEW in portal.state()["accounts"]

    again = run_signup(stub, tmp_path, "--password-file", str(target), "--apply")
    assert again.returncode == 2 and "exists already" in again.stderr  # never overwrites a password in use
    assert portal.form_count("cas.register") == 1


def test_the_command_refuses_bad_input_before_the_portal(stub, portal: Portal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    weak = run_signup(stub, tmp_path, "--password-env", "MY_PW", "--apply", env={"MY_PW": "short"})
    assert weak.returncode == 2 and "at least 10 characters" in weak.stderr
    institution = subprocess.run(
        [sys.executable, "-m", "flows", "--base-url", stub.base_url, "signup", "--first-name", "A", "--last-name",
         "B", "--email", "a.b@ec.europa.eu", "--apply"],
        capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path,
        env={**os.environ, "TRACESCTL_HOME": str(tmp_path / "home")})
    assert institution.returncode == 2 and "does not create accounts for an institution's address" in institution.stderr
    assert portal.form_count("cas.register") == 0


def test_the_command_stores_the_password_where_the_account_says(stub, portal: Portal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f'[accounts.nora]\nemail = "{NEW}"\npassword_file = "{tmp_path / "nora.pw"}"\n'
                        'factor = "app-pin"\n\n[accounts.lars]\nemail = "lars@example.se"\npassword_env = "X"\n')
    other = run_signup(stub, tmp_path, "--account", "lars", "--apply", env={"TRACESCTL_ACCOUNTS": str(accounts)})
    assert other.returncode == 2 and "has the e-mail lars@example.se" in other.stderr
    run = run_signup(stub, tmp_path, "--account", "nora", "--apply", env={"TRACESCTL_ACCOUNTS": str(accounts)})
    assert run.returncode == 0, run.stderr
    assert meets_rule((tmp_path / "nora.pw").read_text().strip())
    assert portal.form_count("cas.register") == 1
