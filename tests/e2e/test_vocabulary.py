"""One spelling per factor (issue 21 §3): what the accounts file calls `app-qr`, `login --json`,
keep-alive's JSON and table, and the ledger (`accounts history`, JSON and table) call `app-qr` too;
`login --json` used to say `app_qr`, the factor class's own name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import APP_USER, Portal, password_env, run_cli

pytestmark = pytest.mark.e2e


def test_every_output_spells_the_factor_as_the_accounts_file_does(  # type: ignore[no-untyped-def]
        stub, portal: Portal, environ: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """One app-qr sign-in (`login --json`), then keep-alive (--due: not due, no second sign-in, so no
    wait for a fresh one-time-password window) and the ledger's history, each as JSON and as a table."""
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f'[accounts.olle]\nemail = "{APP_USER}"\npassword_env = "{password_env(APP_USER)}"\n'
                        'factor = "app-qr"\notp_source = "totp-env:APP_SECRET"\nlocale = "en"\n')

    def run(*args: str) -> str:
        for name in (password_env(APP_USER), "APP_SECRET"):  # a run takes its secrets out of the environment
            monkeypatch.setenv(name, environ[name])
        assert run_cli(["--accounts", str(accounts), "--base-url", stub.base_url, *args]) == 0
        return capsys.readouterr().out

    assert json.loads(run("login", "--json"))["method"] == "app-qr"

    [row] = json.loads(run("keepalive", "--due", "--json"))
    assert (row["outcome"], row["method"]) == ("not-due", "app-qr")
    assert "app-qr" in run("keepalive", "--due")

    assert [r["method"] for r in json.loads(run("accounts", "history", "--json"))] == ["app-qr"]
    table = run("accounts", "history")
    assert "app-qr" in table and "app_qr" not in table
