"""keepalive --parallel: worker processes over disjoint shares of the accounts, on one local Playwright
server; results, JSON and exit code merged in the accounts' order; a worker that dies costs its own
accounts only, and says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from automation.config import Settings
from automation.errors import ExitCode
from flows.jobs import keepalive_workers
from flows.jobs.keepalive import KeepAlive
from flows.jobs.keepalive_result import run_exit_code
from tests.helpers import Portal, make_account, password_env, traces_account_toml

pytestmark = pytest.mark.e2e


def extra_accounts(portal: Portal, count: int, prefix: str, tmp: Path) -> tuple[str, dict[str, str]]:
    """`count` accounts made through the control API, each with its seeded passkey (the files under `tmp`)."""
    body, env = "", {}
    for n in range(count):
        email = f"{prefix}{n}@vaxtexport.se"
        portal.call("accounts", {"username": email, "password": f"Par-{n}-Pass!", "seeded_passkey": True})
        env[password_env(email)] = f"Par-{n}-Pass!"
        body += traces_account_toml(f"{prefix}{n}", email, tmp)
    return body, env


def test_keepalive_parallel_runs_workers_on_one_local_browser_server(
    stub, portal: Portal, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """`keepalive --parallel 4` for eight accounts: one local Playwright server (one Chromium), four
    workers connected to it, every account signed in once, the JSON in the accounts file's order."""
    body, env = extra_accounts(portal, 8, "par", tmp_path)
    body = body.replace("[accounts.par7]", "[accounts.a-first]")  # the file's order, not the names'
    (tmp_path / "accounts.toml").write_text(body)
    run = subprocess.run([sys.executable, "-m", "flows", "--accounts", str(tmp_path / "accounts.toml"), "--base-url",
                          stub.base_url, "keepalive", "--json", "--parallel", "4"], capture_output=True, text=True,
                         timeout=300, env={**os.environ, **env, "TRACESCTL_HOME": str(tmp_path / "home"),
                                           "TRACESCTL_LOG_FORMAT": "json"}, check=False)
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert [r["account"] for r in results] == [f"par{n}" for n in range(7)] + ["a-first"]
    assert [r["outcome"] for r in results] == ["ok"] * 8
    assert [portal.account(f"par{n}@vaxtexport.se")["traces_signins"] for n in range(8)] == [1] * 8
    events = [json.loads(line) for line in run.stderr.splitlines() if line.startswith("{")]
    assert sum(e["event"] == "local browser server started" for e in events) == 1
    connected = [e["endpoint"] for e in events if e["event"] == "browser server connected"]
    assert len(connected) == 4 and len(set(connected)) == 1  # every worker on the one server
    assert connected[0].endswith("/<path>")  # the server's secret path stays out of the logs


def test_a_worker_that_dies_costs_its_own_accounts_and_says_so(
    settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers that end at once (exit 3) leave their accounts `failed`, saying why, with the run's exit
    code for a failure; the run ends rather than waiting for them."""
    accounts = [make_account(f"gone{n}@vaxtexport.se", "password", "en", tmp_path) for n in range(3)]
    environ = {**environ, **{a.password_env: "Not-Sent-1!" for a in accounts}}  # no worker gets as far
    monkeypatch.setattr(keepalive_workers.Worker, "COMMAND", [sys.executable, "-c", "raise SystemExit(3)"])
    results = KeepAlive(settings, environ).run(accounts, parallel=2)
    assert [r.outcome for r in results] == ["failed"] * 3
    assert all("exit status 3" in r.detail for r in results)
    assert run_exit_code(results) == ExitCode.UNEXPECTED
