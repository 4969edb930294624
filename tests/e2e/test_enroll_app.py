"""Registering the EU Login app (guide B2-B6) against the offline portal: the device form, the QR
code, the simulated phone completing it, then sign-ins with the app's QR-code and PIN methods."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from automation.config import AccountConfig, Settings
from automation.errors import ApprovalTimeoutError, BusinessError, ConfigError, MethodNotAllowedError
from automation.factors import build_factor
from automation.secrets import Secret
from flows.jobs.enroll import enroll_app, sign_in_to_eulogin
from flows.jobs.signin import sign_in_to_traces
from tests.helpers import APP_USER, SEEDED, Portal, make_account, password_env, phone_acting, phone_approving

pytestmark = pytest.mark.e2e
NEW = "nils.ny@vaxtexport.se"  # seeded without a device; may use the password alone in TRACES
NEWCOMER = "nova.ny@grontexport.se"
PIN = "4711"


@pytest.fixture
def newcomer(portal: Portal, tmp_path: Path) -> AccountConfig:
    """A fresh EU Login account with no second factor, which TRACES will want two factors from."""
    portal.call("accounts", {"username": NEWCOMER, "password": "Nova-Ny-2025!", "first_name": "Nova"})
    return make_account(NEWCOMER, "password", "sv", tmp_path)


def newcomer_environ(**extra: str) -> dict[str, str]:
    return {password_env(NEWCOMER): "Nova-Ny-2025!", **extra}


def phone_scans(portal: Portal, username: str, pin: str, secrets: list[str]) -> Any:
    """What the person does when the QR code appears: the app scans it and asks for the PIN."""

    def scan(modules: list[list[bool]]) -> None:
        assert len(modules) >= 21 and all(len(row) == len(modules) for row in modules)  # a QR code's grid
        answer = portal.call("app/enrol", {"username": username, "pin": pin})
        if "secret" in answer:
            secrets.append(answer["secret"])

    return scan


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_registered_app_signs_in_with_qr_code_and_pin(
    page: Page, settings: Settings, portal: Portal, tmp_path: Path, newcomer: AccountConfig, locale: str
) -> None:
    account = make_account(NEWCOMER, "password", locale, tmp_path)
    secrets: list[str] = []
    seconds: list[int] = []
    qr_file = tmp_path / "qr.png"
    result = enroll_app(page, settings, account, Secret("Nova-Ny-2025!"), "Novas telefon", Secret(PIN), qr_file,
                        phone_scans(portal, NEWCOMER, PIN, secrets), seconds.append, 30, apply=True)

    assert result.outcome == "registered" and len(secrets) == 1
    assert qr_file.read_bytes().startswith(b"\x89PNG") and qr_file.stat().st_mode & 0o777 == 0o600
    assert [d["name"] for d in portal.account(NEWCOMER)["devices"]] == ["Novas telefon"]
    expect(page.get_by_role("cell", name="Novas telefon", exact=True)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text({"sv": "har registrerats", "en": "has been registered"}[locale])
    assert portal.form_count("cas.add_device") == 1

    # The QR-code method: the app's one-time password (from the secret the simulated app holds).
    page.context.clear_cookies()
    qr_account = make_account(NEWCOMER, "app-qr", locale, tmp_path, otp_source="totp-env:NOVA_APP")
    environ = newcomer_environ(NOVA_APP=secrets[0])
    sign_in_to_traces(page, settings, qr_account, qr_account.password(environ), build_factor(qr_account, environ))
    # New to TRACES, so TRACES asks for the organisation type (guide C2): signed in all the same.
    heading = {"sv": "Välj typ av organisation", "en": "Select your organisation type"}[locale]
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert portal.account(NEWCOMER)["traces_signins"] == 1 and portal.form_count("cas.otp") == 1

    # The PIN method: the phone approves once the person types the PIN set at registration.
    page.context.clear_cookies()
    pin_account = make_account(NEWCOMER, "app-pin", locale, tmp_path, pin_timeout_s=20)
    # The app refuses a PIN other than the one set at registration.
    assert portal.call("app/approve", {"username": NEWCOMER, "pin": "0000"}) == {"status": 403}
    phone, approvals = phone_approving(portal, NEWCOMER, PIN)
    sign_in_to_traces(page, settings, pin_account, pin_account.password(newcomer_environ()),
                      build_factor(pin_account, {}))
    phone.join()
    assert approvals, "the simulated phone never saw a pending request"
    assert portal.account(NEWCOMER)["traces_signins"] == 2


def test_without_a_device_the_app_methods_are_refused(
    page: Page, settings: Settings, portal: Portal, tmp_path: Path, newcomer: AccountConfig
) -> None:
    account = make_account(NEWCOMER, "app-pin", "en", tmp_path, pin_timeout_s=5)
    with pytest.raises(MethodNotAllowedError):
        sign_in_to_traces(page, settings, account, account.password(newcomer_environ()), build_factor(account, {}))


def test_dry_run_fills_the_name_and_submits_nothing(
    page: Page, settings: Settings, portal: Portal, tmp_path: Path, newcomer: AccountConfig
) -> None:
    result = enroll_app(page, settings, newcomer, Secret("Nova-Ny-2025!"), "Novas telefon", None,
                        tmp_path / "qr.png", lambda _: None, lambda _: None, 30, apply=False)
    assert result.outcome == "planned" and not (tmp_path / "qr.png").exists()
    expect(page.get_by_label("Din enhets namn")).to_have_value("Novas telefon")
    assert portal.form_count("cas.add_device") == 0 and portal.state()["enrolments"] == []


def test_a_qr_code_nobody_scans_expires(
    page: Page, settings: Settings, portal: Portal, tmp_path: Path, newcomer: AccountConfig
) -> None:
    portal.call("settings", {"enrolment_ttl_s": 2})
    seconds: list[int] = []
    with pytest.raises(ApprovalTimeoutError, match="expired"):
        enroll_app(page, settings, newcomer, Secret("Nova-Ny-2025!"), "Novas telefon", Secret(PIN),
                   tmp_path / "qr.png", lambda _: None, seconds.append, 30, apply=True)
    expect(page.get_by_role("alert")).to_contain_text("Registreringen av din mobila enhet har gått ut")
    assert portal.account(NEWCOMER)["devices"] == [] and seconds  # a countdown was shown
    assert portal.call("app/enrol", {"username": NEWCOMER, "pin": PIN}) == {"status": 410}


def test_the_portal_refuses_a_pin_that_is_not_four_digits(
    page: Page, settings: Settings, portal: Portal, tmp_path: Path, newcomer: AccountConfig
) -> None:
    with pytest.raises(BusinessError, match="exakt 4 siffror"):  # the portal's reason, in the account's language
        enroll_app(page, settings, newcomer, Secret("Nova-Ny-2025!"), "Novas telefon", Secret("12a4"),
                   tmp_path / "qr.png", lambda _: None, lambda _: None, 30, apply=True)
    assert portal.state()["enrolments"] == []


def test_a_device_name_in_use_is_refused_before_submitting(
    page: Page, settings: Settings, portal: Portal, tmp_path: Path
) -> None:
    account = make_account(APP_USER, "password", "sv", tmp_path)
    with pytest.raises(ConfigError, match="already has a mobile device"):
        enroll_app(page, settings, account, Secret(SEEDED[APP_USER]), "Olles telefon", Secret(PIN),
                   tmp_path / "qr.png", lambda _: None, lambda _: None, 30, apply=True)
    assert portal.form_count("cas.add_device") == 0


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_a_second_device_is_added_after_a_sign_in_with_the_registered_one(
    page: Page, settings: Settings, portal: Portal, tmp_path: Path, locale: str
) -> None:
    """EC-APP: Olle has a phone; "Add a mobile device" first wants it. `enroll app` signs in again with
    it (the person approves on the registered phone), then the new device's QR code is scanned."""
    account = make_account(APP_USER, "password", locale, tmp_path, pin_timeout_s=20)
    approver, approved = phone_approving(portal, APP_USER, "1357")  # the registered phone, its PIN
    secrets: list[str] = []
    result = enroll_app(page, settings, account, Secret(SEEDED[APP_USER]), "Olles surfplatta", Secret(PIN),
                        tmp_path / "qr.png", phone_scans(portal, APP_USER, PIN, secrets), lambda _: None, 30,
                        apply=True)
    approver.join()
    assert result.outcome == "registered" and approved and len(secrets) == 1
    assert [d["name"] for d in portal.account(APP_USER)["devices"]] == ["Olles telefon", "Olles surfplatta"]
    assert (portal.form_count("cas.add_device.reauth"), portal.form_count("cas.mobile")) == (1, 1)
    assert portal.account(APP_USER)["failed_passwords"] == 0


def test_removing_the_device_takes_the_app_methods_away(
    page: Page, settings: Settings, portal: Portal, tmp_path: Path, environ: dict[str, str]
) -> None:
    account = make_account(APP_USER, "password", "en", tmp_path)
    devices = sign_in_to_eulogin(page, settings, account, account.password(environ)).open_my_account() \
        .open_mobile_devices()
    assert devices.device_names == ["Olles telefon"]
    assert devices.remove("Olles telefon").device_names == []
    assert portal.account(APP_USER)["devices"] == []
    page.context.clear_cookies()
    qr_account = make_account(APP_USER, "app-qr", "en", tmp_path, otp_source="totp-env:APP_SECRET")
    with pytest.raises(MethodNotAllowedError):
        sign_in_to_traces(page, settings, qr_account, qr_account.password(environ), build_factor(qr_account, environ))


def test_the_command_shows_the_qr_code_and_waits_for_the_phone(  # type: ignore[no-untyped-def]
    stub, portal: Portal, tmp_path: Path, newcomer: AccountConfig
) -> None:
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f'[accounts.nova]\nemail = "{NEWCOMER}"\npassword_env = "NOVA_PW"\nfactor = "password"\n')
    env = {**os.environ, "TRACESCTL_HOME": str(tmp_path / "home"), "NOVA_PW": "Nova-Ny-2025!", "NOVA_PIN": PIN}
    command = [sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub.base_url,
               "enroll", "app", "--pin-env", "NOVA_PIN", "--name", "Novas telefon"]

    bad_pin = subprocess.run(command + ["--apply"], capture_output=True, text=True, timeout=60, check=False,
                             env={**env, "NOVA_PIN": "12345"})
    assert bad_pin.returncode == 2 and "exactly 4 digits" in bad_pin.stderr

    # The phone scans the QR code once the command has shown it on the terminal (not before: the
    # page moves on when the phone scans, as the live one does).
    run = subprocess.Popen(command + ["--apply"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env={**env, "PYTHONUNBUFFERED": "1"})
    assert run.stdout is not None
    shown = ""
    while "\u2588" not in shown:
        line = run.stdout.readline()
        assert line, f"the command ended without showing a QR code: {shown}"
        shown += line
    thread, scanned = phone_acting(portal, "app/enrol", {"username": NEWCOMER, "pin": PIN}, "secret")
    rest, stderr = run.communicate(timeout=120)
    thread.join()
    stdout = shown + rest
    assert run.returncode == 0, stderr
    assert scanned and "registered in EU Login" in stdout
    assert (tmp_path / "home" / "qr" / "nova.png").read_bytes().startswith(b"\x89PNG")
    assert PIN not in stdout + stderr
    assert [d["name"] for d in portal.account(NEWCOMER)["devices"]] == ["Novas telefon"]


def test_the_devices_commands_list_and_remove_a_lost_phone(stub, portal: Portal, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           environ: dict[str, str]) -> None:
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f'[accounts.olle]\nemail = "{APP_USER}"\npassword_env = "{password_env(APP_USER)}"\n'
                        'factor = "app-pin"\nlocale = "en"\n')
    env = {**os.environ, **environ, "TRACESCTL_HOME": str(tmp_path / "home")}

    def devices(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url",
                               stub.base_url, "devices", *args], capture_output=True, text=True, timeout=120,
                              check=False, env=env)

    listed = devices("list")
    assert listed.returncode == 0 and listed.stdout.splitlines() == ["Olles telefon"], listed.stderr
    dry = devices("remove", "Olles telefon")
    assert dry.returncode == 0 and "DRY RUN" in dry.stdout
    unknown = devices("remove", "Pers telefon", "--apply")
    assert unknown.returncode == 2 and "it has: Olles telefon" in unknown.stderr
    assert portal.form_count("cas.remove_device") == 0
    removed = devices("remove", "Olles telefon", "--apply")
    assert removed.returncode == 0 and "devices left: none" in removed.stdout, removed.stderr
    assert portal.account(APP_USER)["devices"] == [] and portal.form_count("cas.remove_device") == 1
