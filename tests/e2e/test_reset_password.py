"""Resetting a blocked EU Login password by e-mail: the single-use, expiring link, the password
rule, the new password stored 0600, the block lifted and the keep-alive hold released."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from automation.catalog import Catalog
from automation.config import Settings
from automation.errors import AccountBlockedError, CredentialsRejectedError, PortalTimeoutError, ResetLinkError
from automation.factors.passkey import Passkey
from automation.ledger import Ledger, utc_now
from automation.mailbox import OfflinePortalMailbox
from automation.pages.eulogin.new_password import NewPasswordPage
from automation.passwords import WeakPasswordError, meets_rule
from automation.secrets import Secret
from flows.jobs.reset_password import reset_password
from flows.jobs.signin import sign_in_to_traces
from tests.helpers import PASSWORD_USER, Portal, make_account, traces_account

pytestmark = pytest.mark.e2e


def test_five_wrong_passwords_block_and_reset_password_brings_the_account_back(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    portal.call("variants", {"lockout": "until_reset"})  # the guide's lockout (I2); EU Login's help differs
    account = replace(traces_account(PASSWORD_USER, "sv", tmp_path), password_file=tmp_path / "pw.txt")
    # guide I2: five wrong passwords in a row. The toolkit would stop after the first refusal (its hold);
    # ignore_hold drives the portal on to its block, as someone ignoring the hold by hand would.
    for attempt in range(1, 6):
        page.context.clear_cookies()
        expected = AccountBlockedError if attempt == 5 else CredentialsRejectedError
        with pytest.raises(expected):
            sign_in_to_traces(page, settings, account, Secret(f"Wrong-Password-{attempt}!"),
                              Passkey(account.passkey_file), ignore_hold=True)
    assert portal.account(PASSWORD_USER)["blocked"] is True
    page.context.clear_cookies()
    with pytest.raises(AccountBlockedError):  # even the right password, now
        sign_in_to_traces(page, settings, account, Secret(environ[account.password_env]), Passkey(account.passkey_file),
                          ignore_hold=True)
    ledger = Ledger.in_home(settings.home)
    ledger.place_hold(account.identity, "EU Login has blocked the account", utc_now())

    stored = reset_password(page, settings, account, OfflinePortalMailbox(settings.base_url), ledger)

    assert stored == tmp_path / "pw.txt" and stored.stat().st_mode & 0o777 == 0o600
    new_password = stored.read_text().strip()
    assert meets_rule(new_password) and new_password != environ[account.password_env]
    assert portal.account(PASSWORD_USER)["blocked"] is False
    assert ledger.hold(account.identity) is None
    mails = portal.call(f"mailbox?to={PASSWORD_USER}")
    assert [m["from"] for m in mails] == ["Autentiseringstjänst"]
    page.context.clear_cookies()
    sign_in_to_traces(page, settings, account, account.password({}), Passkey(account.passkey_file))
    with pytest.raises(CredentialsRejectedError):  # the old password is gone
        page.context.clear_cookies()
        sign_in_to_traces(page, settings, account, Secret(environ[account.password_env]), Passkey(account.passkey_file))


def test_the_link_works_once(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    account = replace(make_account(PASSWORD_USER, "password", "en", tmp_path), password_file=tmp_path / "pw.txt")
    reset_password(page, settings, account, OfflinePortalMailbox(settings.base_url), Ledger.in_home(settings.home))
    link = portal.call(f"mailbox?to={PASSWORD_USER}")[0]["link"]
    with pytest.raises(ResetLinkError):
        NewPasswordPage(page, Catalog("en"), 10_000).open(Secret(link))
    expect(page.get_by_role("alert")).to_contain_text("no longer valid")
    assert portal.form_count("cas.password_reset") == 1


def test_an_expired_link_is_refused(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    portal.call("settings", {"reset_ttl_s": 0})
    account = replace(make_account(PASSWORD_USER, "password", "en", tmp_path), password_file=tmp_path / "pw.txt")
    with pytest.raises(ResetLinkError, match="expired"):
        reset_password(page, settings, account, OfflinePortalMailbox(settings.base_url),
                       Ledger.in_home(settings.home))
    assert not (tmp_path / "pw.txt").exists()


@pytest.mark.parametrize("weak", ["Short-1!", "alllowercase-123", "NoDigits-Here!", "NoSpecial12345"])
def test_the_portal_refuses_a_weak_password(page: Page, settings: Settings, portal: Portal, weak: str) -> None:
    """The rule, on the portal's side too: at least 10 characters mixing the four kinds."""
    portal.call("settings", {})
    page.goto(f"{settings.eulogin_url}/lostpassword?lang=sv")
    page.get_by_role("textbox", name="E-postadress").fill(PASSWORD_USER)
    page.get_by_role("button", name="Skicka", exact=True).click()
    link = portal.call(f"mailbox?to={PASSWORD_USER}")[-1]["link"]
    new_password = NewPasswordPage(page, Catalog("sv"), 10_000).open(Secret(link))
    with pytest.raises(WeakPasswordError):  # the toolkit refuses it before sending
        new_password.choose(Secret(weak))
    assert portal.form_count("cas.password_reset") == 0
    # The portal refuses it too, when a person (or another tool) sends it.
    page.get_by_label("Nytt lösenord", exact=True).fill(weak)
    page.get_by_label("Bekräfta det nya lösenordet").fill(weak)
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("minst 10 tecken")
    assert portal.form_count("cas.password_reset") == 1 and not meets_rule(weak)


def test_the_command_resets_and_stores_the_password(stub, environ: dict[str, str], portal: Portal,  # type: ignore[no-untyped-def]
                                                    tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f'[accounts.lars]\nemail = "{PASSWORD_USER}"\npassword_env = "LARS_PW"\nfactor = "password"\n')
    portal.call("variants", {"lockout": "until_reset"})  # the guide's lockout: a reset unblocks
    portal.call(f"accounts/{PASSWORD_USER}", {"blocked": True})
    command = [sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub.base_url,
               "accounts", "reset-password", "lars", "--mailbox", "offline-portal"]
    env = {**os.environ, "TRACESCTL_HOME": str(tmp_path / "home"), "LARS_PW": "old"}
    dry = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, env=env)
    assert dry.returncode == 0 and "DRY RUN" in dry.stdout, dry.stderr
    assert portal.form_count("cas.lostpassword") == 0 and portal.account(PASSWORD_USER)["blocked"] is True

    run = subprocess.run([*command, "--apply"], capture_output=True, text=True, timeout=120, check=False, env=env)
    assert run.returncode == 0, run.stderr
    stored = tmp_path / "home" / "passwords" / "lars.txt"
    assert str(stored) in run.stdout and "$LARS_PW" in run.stdout
    assert stored.stat().st_mode & 0o777 == 0o600
    assert stored.read_text().strip() not in run.stdout + run.stderr  # the password itself is never printed
    assert portal.account(PASSWORD_USER)["blocked"] is False


def test_a_locked_account_is_not_reset_where_eu_login_unlocks_it_by_itself(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """EU Login's help: locked for 15 minutes, and "you can't reset your password if your account
    is locked". The toolkit says so at once (not after a timeout) and nothing is sent."""
    portal.call("variants", {"lockout": "auto_unlock"})
    portal.call(f"accounts/{PASSWORD_USER}", {"blocked": True})
    account = replace(make_account(PASSWORD_USER, "password", "en", tmp_path), password_file=tmp_path / "pw.txt")
    with pytest.raises(AccountBlockedError, match="unlocked automatically"):
        reset_password(page, settings, account, OfflinePortalMailbox(settings.base_url), Ledger.in_home(settings.home))
    assert portal.call(f"mailbox?to={PASSWORD_USER}") == [] and not (tmp_path / "pw.txt").exists()


LOOK_ALIKE = "automated-notifications@nomail.ec.europa.eu.evil.example"


@pytest.mark.parametrize("sender", ["automated_notifications", "older"])
def test_a_late_email_is_awaited_and_only_eu_logins_sender_is_read(
    page: Page, settings: Settings, portal: Portal, tmp_path: Path, sender: str
) -> None:
    """EUL-MAIL: the e-mail can come late, from automated-notifications@nomail.ec.europa.eu (or the older
    sender). A look-alike sender's EU Login link, arriving first while the wait is on, is never followed
    (it would fail: its token is not one EU Login gave)."""
    portal.call("variants", {"mail_sender": sender})
    portal.call("settings", {"mail_delay_s": 1.5})
    account = replace(make_account(PASSWORD_USER, "password", "sv", tmp_path), password_file=tmp_path / "pw.txt")
    ticks: list[int] = []

    def tick(left: int) -> None:
        if not ticks:  # the wait has begun and EU Login's e-mail is late: the look-alike comes first
            portal.call("mailbox", {"to": PASSWORD_USER, "from_address": LOOK_ALIKE,
                                    "body": f"{settings.base_url}/cas/init/initialisePasswordLogin.cgi?token=forged"})
        ticks.append(left)

    mailbox = OfflinePortalMailbox(settings.base_url)
    real_wait = mailbox.wait_for_link
    mailbox.wait_for_link = lambda to, after, timeout_s, on_tick=None: real_wait(  # type: ignore[method-assign]
        to, after, timeout_s, tick)
    stored = reset_password(page, replace(settings, mail_wait_s=20), account, mailbox, Ledger.in_home(settings.home))
    assert stored is not None and meets_rule(stored.read_text().strip())
    assert [m["from_address"] for m in portal.mailbox(PASSWORD_USER)][0] == LOOK_ALIKE  # it was there first
    assert ticks[0] in (19, 20) and ticks[-1] == 0 and len(ticks) >= 3  # counted down while it was late


def test_the_wait_for_the_email_ends_at_the_setting(page: Page, settings: Settings, portal: Portal,
                                                    tmp_path: Path) -> None:
    """The wait is settings.mail_wait_s (TRACESCTL_MAIL_WAIT_S; 25 minutes by default), then a timeout."""
    portal.call("settings", {"mail_delay_s": 60})
    account = make_account(PASSWORD_USER, "password", "sv", tmp_path)
    with pytest.raises(PortalTimeoutError, match="within 1 s"):
        reset_password(page, replace(settings, mail_wait_s=1), account, OfflinePortalMailbox(settings.base_url),
                       Ledger.in_home(settings.home))
    assert portal.call("mailbox", query={"to": PASSWORD_USER}) == []  # sent, not delivered yet
