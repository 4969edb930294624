"""Holds (issue 16 §1) at the command line, without a browser: every command that signs in
looks up the EU Login identity's hold before Playwright starts and stops with exit 3 naming the
release command, whatever account name shares the held e-mail."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from automation.config import identity_of
from automation.ledger import Ledger
from flows.cli.main import main
from tests.helpers import PASSWORD_USER, password_env

T0 = datetime(2026, 1, 5, tzinfo=UTC)
# Two account names, one EU Login identity (spelled differently).
TWO_NAMES = f"""
[accounts.lars]
email = "{PASSWORD_USER}"
password_env = "{password_env(PASSWORD_USER)}"
factor = "password"

[accounts.lars-again]
email = "  {PASSWORD_USER.upper()} "
password_env = "{password_env(PASSWORD_USER)}"
factor = "password"
"""


@pytest.fixture
def held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The accounts file; the identity held under the account name `lars` (as keep-alive holds it)."""
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(TWO_NAMES)
    monkeypatch.setenv(password_env(PASSWORD_USER), "Lars-Losen-2025!")
    Ledger.in_home(Path(os.environ["TRACESCTL_HOME"])).place_hold(
        identity_of(PASSWORD_USER), "EU Login rejected the password", T0, "refused", "lars")
    (tmp_path / "policy.toml").write_text('[approve]\nemails = ["a@b.se"]\n')
    (tmp_path / "company.toml").write_text(
        'name = "X AB"\norganisation_number = "556677-8899"\nstreet = "a"\npostal_code = "25225"\n'
        'city = "b"\nphone = "1"\nemail = "a@b.se"\n')
    return accounts


@pytest.mark.parametrize("command", [
    ["login"],
    ["approve", "--policy", "{tmp}/policy.toml"],
    ["request-access", "--operator", "{tmp}/company.toml"],
    ["guide-check"],
    ["enroll", "passkey"],
    ["enroll", "app"],
    ["devices", "list"],
    ["devices", "remove", "Olles telefon"],
])
@pytest.mark.parametrize("name", ["lars", "lars-again"])
def test_every_signing_in_command_stops_at_a_hold_before_any_browser(
    no_browser: None, held: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], name: str,
) -> None:
    """Exit 3, one line naming `tracesctl accounts release`, for either name of the held e-mail."""
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    assert main(["--accounts", str(held), *args, "--account", name]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "is on hold (refused)" in err[0] and f"tracesctl accounts release {name}" in err[0]
    assert "Error" not in err[0]  # no Python class name (issue 22)


def test_ignore_hold_needs_a_person_at_a_terminal(no_browser: None, held: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """`login --ignore-hold` with no terminal to confirm on: exit 2, nothing tried."""
    assert main(["--accounts", str(held), "login", "--account", "lars", "--ignore-hold"]) == 2
    assert "terminal" in capsys.readouterr().err


def test_release_by_any_name_releases_the_identity(no_browser: None, held: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The hold belongs to the e-mail: releasing it under the other name frees both names."""
    assert main(["--accounts", str(held), "accounts", "release", "lars-again"]) == 0
    ledger = Ledger.in_home(Path(os.environ["TRACESCTL_HOME"]))
    assert ledger.hold(identity_of(PASSWORD_USER)) is None


def test_status_reports_the_hold_for_every_name_of_the_identity(no_browser: None, held: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--accounts", str(held), "accounts", "status"]) == 3
    out = capsys.readouterr().out
    assert out.count("EU Login rejected the password") == 2 and out.count("refused since ") == 2


def test_an_inactive_hold_lets_a_person_try_but_not_keepalive(no_browser: None, held: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """An inactive hold stops keep-alive (reported as held, no browser) and is reported by status;
    both exit 5 (inactive: an authority's matter, not a refused password, which alone gives 3)."""
    ledger = Ledger.in_home(Path(os.environ["TRACESCTL_HOME"]))
    ledger.release_hold(identity_of(PASSWORD_USER), T0)
    ledger.place_hold(identity_of(PASSWORD_USER), "inactive: ask the authority", T0, "inactive", "lars")
    assert main(["--accounts", str(held), "keepalive", "--due", "--account", "lars"]) == 5
    assert "held" in capsys.readouterr().out
    assert main(["--accounts", str(held), "accounts", "status"]) == 5
    out = capsys.readouterr().out
    assert "inactive since 2026-" in out and "ask the authority" in out and "inactive: inactive" not in out
