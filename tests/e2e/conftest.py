"""Fixtures for end-to-end tests: accounts, factors, an enrolled passkey."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from automation.config import AccountConfig, Settings
from automation.factors.otp import WINDOWS
from automation.factors.passkey import load_passkey
from flows.jobs.enroll import enroll_passkey
from tests.helpers import PASSKEY_USER, make_account

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def fresh_otp_windows() -> None:
    """Each test starts with a reset portal, which has forgotten used codes: so does the toolkit."""
    WINDOWS.forget()


@pytest.fixture
def passkey_account(tmp_path: Path) -> AccountConfig:
    return make_account(PASSKEY_USER, "passkey", "sv", tmp_path)


@pytest.fixture
def enrolled(browser: Browser, settings: Settings, passkey_account: AccountConfig,
             environ: dict[str, str], portal: object) -> AccountConfig:
    """The passkey account with a passkey registered in EU Login and saved to its 0600 file."""
    context = browser.new_context()
    try:
        enroll_passkey(context.new_page(), settings, passkey_account, passkey_account.password(environ))
    finally:
        context.close()
    load_passkey(passkey_account.passkey_file)  # readable, 0600
    return passkey_account
