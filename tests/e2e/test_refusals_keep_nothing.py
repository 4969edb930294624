"""Issue 22: the portal's expected refusals are its answers, not failures of the toolkit. `login` with
a wrong password (exit 3) or into an inactive account (exit 5) keeps no failure folder, trace or
screenshot, logs no "flow failed", and says in one line what the portal answered. In process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from automation.stub.server import StubServer
from tests.helpers import INACTIVE_USER, PASSWORD_USER, SEEDED, password_env, run_cli, traces_account_toml

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("email", "password", "code", "answer"), [
    (PASSWORD_USER, "Wrong-Password-1!", 3, "EU Login refused"),
    (INACTIVE_USER, SEEDED[INACTIVE_USER], 5, "TRACES shows the account as inactive"),
], ids=["wrong-password", "inactive"])
def test_a_refused_login_keeps_no_failure_artifacts(stub: StubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str], email: str, password: str,
                                                    code: int, answer: str) -> None:
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(traces_account_toml("a", email, tmp_path))
    artifacts = tmp_path / "artifacts"
    monkeypatch.setenv(password_env(email), password)
    monkeypatch.setenv("TRACESCTL_ARTIFACTS", str(artifacts))
    monkeypatch.setenv("TRACESCTL_LOG_FORMAT", "json")
    assert run_cli(["--accounts", str(accounts), "--base-url", stub.base_url, "login"]) == code
    err = capsys.readouterr().err
    assert not artifacts.exists(), sorted(artifacts.rglob("*"))
    assert "failed flow" not in err and "show-trace" not in err, err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert not [line for line in lines if "failed" in line["event"]], lines
    said = [line for line in lines if line["event"] == answer]
    assert len(said) == 1 and (said[0]["account"], said[0]["exit_code"]) == ("a", code), lines
