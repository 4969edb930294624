"""E-mail links tracesctl follows, and the QR code it draws in a terminal."""

from __future__ import annotations

import qrcode

from automation.mailbox import eulogin_link
from flows.report import draw_qr

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
