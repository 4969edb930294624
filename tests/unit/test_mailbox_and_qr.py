"""E-mail links tracesctl follows, and the QR code it draws in a terminal."""

from __future__ import annotations

import pytest
import qrcode

from automation.config import Settings
from automation.errors import ConfigError
from automation.mailbox import MAIL_WAIT_S, eulogin_link, from_eu_login
from flows.reports.keepalive import draw_qr

EULOGIN = "https://webgate.ec.europa.eu/cas"


def test_only_a_link_into_eu_login_is_followed() -> None:
    body = ("Hello! Unsubscribe: https://webgate.ec.europa.eu.evil.example/cas/x - or follow "
            f"<{EULOGIN}/init/initialisePasswordLogin.cgi?token=abc> to choose your password.")
    assert eulogin_link(body, EULOGIN) == f"{EULOGIN}/init/initialisePasswordLogin.cgi?token=abc"
    assert eulogin_link("https://phishing.example/cas/login?token=abc", EULOGIN) is None
    assert eulogin_link("no link at all", EULOGIN) is None


def test_the_terminal_qr_code_has_every_module_and_a_quiet_zone() -> None:
    code = qrcode.QRCode(border=0)
    code.add_data("eulogin://enrol?enrolment=ENR-1")
    code.make()
    modules = [[bool(m) for m in row] for row in code.get_matrix()]
    lines = draw_qr(modules).splitlines()
    size = len(modules) + 4
    assert len(lines) == (size + 1) // 2 and {len(line) for line in lines} == {size}
    assert set(lines[0]) == {"\u2588"}  # the quiet zone is light
    # Line 2 holds module rows 0-1 (after the 2-module quiet zone): the finder pattern's dark top
    # edge over its light inside, dark (blank) at both ends.
    assert lines[1][2:9] == " " + "\u2584" * 5 + " "  # light lower half: the inside


def test_only_eu_logins_senders_are_read() -> None:
    """EUL-MAIL: automated-notifications@nomail.ec.europa.eu, and the older (offline) sender; nothing alike."""
    assert from_eu_login("Automated-Notifications@nomail.ec.europa.eu ")
    assert from_eu_login("no-reply@eulogin.offline-portal.invalid")
    assert not from_eu_login("automated-notifications@nomail.ec.europa.eu.evil.example")
    assert not from_eu_login("x-automated-notifications@nomail.ec.europa.eu")


def test_the_wait_for_an_email_is_25_minutes_unless_set() -> None:
    """EUL-MAIL: up to 20 minutes late; the toolkit waits 25 by default, TRACESCTL_MAIL_WAIT_S sets it."""
    assert MAIL_WAIT_S == Settings().mail_wait_s == 25 * 60
    assert Settings.from_env({"TRACESCTL_MAIL_WAIT_S": "90"}).mail_wait_s == 90
    with pytest.raises(ConfigError):
        Settings.from_env({"TRACESCTL_MAIL_WAIT_S": "0"})
