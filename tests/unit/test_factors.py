"""Second-factor pieces that need no browser: one-time-password windows, sources, passkey files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyotp
import pytest

from automation.errors import ConfigError, PasskeyFileError, SecondFactorRefusedError
from automation.factors.otp import CommandSource, OtpWindows, TotpEnvSource, parse_source
from automation.factors.passkey import PasskeyCredential, load_passkey, save_passkey
from automation.pages.eulogin.password import Factor
from automation.secrets import Secret


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_fresh_device_uses_the_current_window_without_waiting() -> None:
    clock = FakeClock(3000.0)
    windows = OtpWindows(clock.time, clock.sleep)
    assert windows.fresh_window("anna") == 100 and clock.slept == []


def test_a_used_window_is_never_used_again_the_next_one_is_awaited() -> None:
    """Two sign-ins of one device within 30 s: the second waits for the next window."""
    clock = FakeClock(3010.0)
    windows = OtpWindows(clock.time, clock.sleep)
    windows.mark_used("anna", windows.fresh_window("anna"))
    clock.now = 3019.5
    assert windows.fresh_window("anna") == 101
    assert clock.slept == [pytest.approx(10.5)]
    assert windows.fresh_window("bo") == 101  # another device is not held back


def test_totp_source_gives_the_code_of_the_asked_window() -> None:
    secret = pyotp.random_base32()
    source = TotpEnvSource("SEED", {"SEED": secret})
    assert source.code(100).reveal() == pyotp.TOTP(secret).at(3000)


def test_command_source_reads_a_code_and_refuses_anything_else() -> None:
    assert CommandSource("echo 123456").code(0).reveal() == "123456"
    with pytest.raises(SecondFactorRefusedError, match="did not print"):
        CommandSource("echo hello").code(0)
    with pytest.raises(SecondFactorRefusedError, match="failed"):
        CommandSource("false").code(0)


def test_unknown_or_unset_sources_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        parse_source("sms:123")
    with pytest.raises(ConfigError, match="SEED"):
        parse_source("totp-env:SEED", {})


def credential(count: int) -> PasskeyCredential:
    return PasskeyCredential("Y3JlZA==", "localhost", Secret("cHJpdmF0ZS1rZXk="), "dXNlcg==", count)


def test_passkey_files_are_written_0600_and_atomically(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "anna.json"
    save_passkey(path, credential(1))
    save_passkey(path, credential(2))
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert load_passkey(path).sign_count == 2
    assert [p.name for p in path.parent.iterdir()] == ["anna.json"]  # no temporary file left


def test_passkey_files_readable_by_others_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "anna.json"
    save_passkey(path, credential(1))
    path.chmod(0o644)
    with pytest.raises(PasskeyFileError, match="readable by others"):
        load_passkey(path)


def test_missing_or_malformed_passkey_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PasskeyFileError, match="not found"):
        load_passkey(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"credentialId": "x"}))
    bad.chmod(0o600)
    with pytest.raises(PasskeyFileError, match="rpId must be a host name"):  # the field that is wrong
        load_passkey(bad)


def _olle(tmp_path: Path, **extra: object) -> Factor:
    from automation.config import Settings, parse_account
    from automation.factors import build_factor

    table = {"email": "olle.app@vaxtexport.se", "password_env": "PW", "factor": "app-pin", **extra}
    return build_factor(parse_account("olle", table, Settings(home=tmp_path), tmp_path / "a.toml"), {"PW": "x"})


def test_the_app_pin_countdown_names_the_account_and_its_phone(tmp_path: Path) -> None:
    """Issue 22: with several accounts at one terminal, the person must know whose sign-in it is and
    which phone to pick up: the line drawn on the terminal names both, the time left as m:ss."""
    import io

    from rich.console import Console

    import automation.console
    from automation.factors.app import AppPin

    out = io.StringIO()
    automation.console._console[:] = [Console(file=out, force_terminal=True, width=100, no_color=True)]
    try:
        factor = _olle(tmp_path, device="Olles telefon")
        assert isinstance(factor, AppPin)
        factor.show(42)
    finally:
        automation.console.stop_live_displays()
        automation.console._console.clear()
    assert "olle: approve on 'Olles telefon' — 0:42 left" in out.getvalue()


def test_without_a_device_the_countdown_still_names_the_account(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    """No `device` in the accounts file: the account's name, and the app, not an empty phone name."""
    from automation import console
    from automation.factors.app import AppPin

    shown: list[tuple[int, str]] = []
    monkeypatch.setattr(console, "countdown", lambda left, what: shown.append((left, what)))
    factor = _olle(tmp_path)
    assert isinstance(factor, AppPin)
    factor.show(42)
    assert shown == [(42, "olle: approve the sign-in in the EU Login app")]


def test_a_phone_name_from_the_portal_is_shown_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A device name read off the portal's screen is portal text: a control character in it is shown
    as an escape, never obeyed by the terminal."""
    from automation import console
    from automation.factors.app import AppPin

    shown: list[tuple[int, str]] = []
    monkeypatch.setattr(console, "countdown", lambda left, what: shown.append((left, what)))
    AppPin(60, account="olle", device="Olles\x1b[2Jtelefon").show(5)
    assert shown == [(5, "olle: approve on 'Olles\\x1b[2Jtelefon'")]


def test_enroll_names_the_registered_phone_the_portal_lists(tmp_path: Path) -> None:
    """Adding a second device waits for the registered phone: the accounts file's `device` when it has
    one, else the one device "Manage my mobile devices" lists; with several, none is guessed."""
    from automation.config import AccountConfig, Settings, parse_account
    from flows.jobs.enroll import _registered_phone

    def olle(**extra: object) -> AccountConfig:
        table = {"email": "olle.app@vaxtexport.se", "password_env": "PW", "factor": "app-pin", **extra}
        return parse_account("olle", table, Settings(home=tmp_path), tmp_path / "a.toml")

    plain, named = olle(), olle(device="Olles telefon")
    assert _registered_phone(plain, ["Olles telefon"]) == "Olles telefon"
    assert _registered_phone(plain, ["A", "B"]) == ""
    assert _registered_phone(named, ["A", "B"]) == "Olles telefon"
