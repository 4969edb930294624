"""Issue 22: `accounts holds` shows every hold placed, why, and when and by whom it was released;
the attempts EU Login accepted at once are the sign-ins themselves, shown only with --all."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli.main import main
from tests.helpers import PASSWORD_USER, SEEDED, Portal, password_env, traces_account_toml

pytestmark = pytest.mark.e2e


def test_a_refusal_then_a_release_and_a_success_as_the_holds_show_them(  # type: ignore[no-untyped-def]
    stub, portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(traces_account_toml("lars", PASSWORD_USER, tmp_path, "sv"))
    home = tmp_path / "home"

    def login(password: str) -> int:
        return subprocess.run([sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url",
                               stub.base_url, "login"], capture_output=True, text=True, timeout=120, check=False,
                              env={**os.environ, "TRACESCTL_HOME": str(home),
                                   password_env(PASSWORD_USER): password}).returncode

    assert login("Wrong-Password-1!") == 3
    monkeypatch.setenv("TRACESCTL_HOME", str(home))
    assert main(["--accounts", str(accounts), "accounts", "release", "lars"]) == 0
    assert login(SEEDED[PASSWORD_USER]) == 0
    capsys.readouterr()

    assert main(["--accounts", str(accounts), "accounts", "holds", "--json"]) == 0
    holds = json.loads(capsys.readouterr().out)
    assert [(h["account"], h["kind"], h["released_by"]) for h in holds] == [("lars", "refused", getpass.getuser())]
    assert "rejected the password" in holds[0]["reason"] and holds[0]["released_at"] >= holds[0]["placed_at"]

    assert main(["--accounts", str(accounts), "accounts", "holds", "--all", "--json"]) == 0
    every = json.loads(capsys.readouterr().out)
    assert [h["kind"] for h in every] == ["refused", "unconfirmed"]  # the success's attempt, released by it
    assert every[1]["released_by"] == "tracesctl: EU Login accepted the password"

    assert main(["--accounts", str(accounts), "accounts", "holds"]) == 0
    table = capsys.readouterr().out
    assert "refused" in table and getpass.getuser() in table and "still held" not in table


def test_an_acknowledged_inactive_hold_holds_but_no_longer_fails_the_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from automation.ledger import Ledger, utc_now

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACESCTL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv(password_env(PASSWORD_USER), SEEDED[PASSWORD_USER])
    (tmp_path / "accounts.toml").write_text(f'[accounts.lars]\nemail = "{PASSWORD_USER}"\n'
                                            f'password_env = "{password_env(PASSWORD_USER)}"\nfactor = "password"\n')
    ledger = Ledger.in_home(tmp_path / "home")
    ledger.place_hold(PASSWORD_USER, "TRACES says inactive", utc_now(), kind="inactive", account="lars")
    assert main(["accounts", "status"]) == 5
    assert main(["accounts", "ack", "lars"]) == 0
    assert main(["accounts", "status"]) == 0
    capsys.readouterr()
    assert main(["keepalive", "--json"]) == 0  # held (nothing signs in), known, not failing
    row = json.loads(capsys.readouterr().out)[0]
    assert (row["outcome"], row["hold_kind"], row["hold_acknowledged"]) == ("held", "inactive", True)

    # Something changed: the hold ends and a new one comes; that one fails the job again.
    ledger.release_hold(PASSWORD_USER, utc_now(), account="lars")
    ledger.place_hold(PASSWORD_USER, "TRACES says suspended", utc_now(), kind="suspended", account="lars")
    assert main(["accounts", "status"]) == 6


def test_a_refused_hold_is_checked_and_released_not_acknowledged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from automation.ledger import Ledger, utc_now

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACESCTL_HOME", str(tmp_path / "home"))
    (tmp_path / "accounts.toml").write_text(f'[accounts.lars]\nemail = "{PASSWORD_USER}"\npassword_env = "PW"\n'
                                            'factor = "password"\n')
    Ledger.in_home(tmp_path / "home").place_hold(PASSWORD_USER, "wrong password", utc_now(), account="lars")
    assert main(["accounts", "ack", "lars"]) == 2
    assert "tracesctl accounts release lars" in capsys.readouterr().err
