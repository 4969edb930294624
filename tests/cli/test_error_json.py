"""A --json command that fails answers on stdout with the account its error is about (issue 21 §3:
errors carry their context as fields), without a browser; the message and exit code are unchanged."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from automation.config import identity_of
from automation.ledger import Ledger
from automation.vocabulary import HoldKind
from flows.cli.main import main
from tests.helpers import PASSWORD_USER, password_env


@pytest.fixture
def accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import playwright.sync_api

    def refuse() -> None:
        raise AssertionError("a browser was started")

    monkeypatch.setattr(playwright.sync_api, "sync_playwright", refuse)
    monkeypatch.setenv(password_env(PASSWORD_USER), "Lars-Losen-2025!")
    path = tmp_path / "accounts.toml"
    path.write_text(f'[accounts.lars]\nemail = "{PASSWORD_USER}"\npassword_env = "{password_env(PASSWORD_USER)}"\n'
                    'factor = "password"\n')
    return path


def test_a_held_login_answers_json_naming_the_account(accounts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Ledger.in_home(Path(os.environ["TRACESCTL_HOME"])).place_hold(
        identity_of(PASSWORD_USER), "EU Login rejected the password", datetime(2026, 1, 5, tzinfo=UTC),
        HoldKind.REFUSED, "lars")
    assert main(["--accounts", str(accounts), "login", "--json"]) == 3
    answer = json.loads(capsys.readouterr().out)
    assert (answer["ok"], answer["exit_code"], answer["account"]) == (False, 3, "lars")
    assert "is on hold (refused)" in answer["error"]


def test_an_error_about_no_account_answers_null(accounts: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad setting concerns no account."""
    monkeypatch.setenv("TRACESCTL_TIMEOUT_MS", "5")
    assert main(["--accounts", str(accounts), "login", "--json"]) == 2
    answer = json.loads(capsys.readouterr().out)
    assert (answer["exit_code"], answer["account"]) == (2, None) and "TRACESCTL_TIMEOUT_MS" in answer["error"]
