"""The drift grace is a setting (issue 21 §3): TRACESCTL_DRIFT_GRACE_MS (Settings.drift_grace_ms,
default 5 s) is how long a page object waits for a label on a screen that is there before it calls
it toolkit drift; the flows hand it to their first page object and every page object after it
inherits it. Tests may set it short."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Page

from automation.catalog import Catalog
from automation.config import Settings
from automation.errors import ToolkitDriftError
from automation.factors import build_factor
from automation.pages.base import LABEL_GRACE_MS
from automation.pages.eulogin.whoami import WhoamiPage
from flows.jobs.signin import sign_in_to_traces
from tests.helpers import PASSWORD_USER, Portal, traces_account

pytestmark = pytest.mark.e2e


def test_a_missing_label_is_drift_after_the_grace_given(page: Page) -> None:
    """Step one without its "Next" button: drift after 300 ms, not after the default 5 s (a wait
    of its own that no load can shorten)."""
    page.set_content('<form><input id="username"></form>')
    whoami = WhoamiPage(page, Catalog("en"), 30_000, grace_ms=300)
    started = time.monotonic()
    with pytest.raises(ToolkitDriftError, match="eulogin.whoami.next"):
        whoami.enter_email("a@b.se").next()
    assert time.monotonic() - started < LABEL_GRACE_MS / 1000 - 1


def test_a_sign_in_s_page_objects_inherit_the_settings_grace(page: Page, settings: Settings, environ: dict[str, str],
                                                             portal: Portal, tmp_path: Path) -> None:
    """TRACES entry, EU Login's two steps, TRACES home: the home page object the sign-in lands on
    has the grace the settings gave the first one."""
    account = traces_account(PASSWORD_USER, "en", tmp_path)  # TRACES takes no password alone
    short = replace(settings, drift_grace_ms=700)
    signed_in = sign_in_to_traces(page, short, account, account.password(environ), build_factor(account, environ))
    assert (signed_in.home.drift_grace_ms, signed_in.home.grace_ms) == (700, 700)
