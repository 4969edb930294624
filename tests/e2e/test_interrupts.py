"""SIGINT and SIGTERM end every command cleanly: 130 or 143, one line saying what was left undone,
no traceback, no Chromium left behind, and a ledger that agrees with the portal's counters."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import PASSWORD_USER, SEEDED, Portal, last_words, password_env, traces_account_toml

pytestmark = pytest.mark.e2e

EXTRA = [f"sigextra{n}@vaxtexport.se" for n in range(6)]


def wait_until(condition: Callable[[], bool], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the run never got that far"
        threading.Event().wait(0.05)


def start(args: list[str], env: dict[str, str], home: Path) -> subprocess.Popen[str]:
    # A session of its own: the test can signal the whole group, as a terminal's Ctrl-C does.
    return subprocess.Popen([sys.executable, "-m", "flows", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **env, "TRACESCTL_HOME": str(home)},
                            start_new_session=True)


def interrupt(process: subprocess.Popen[str], signum: int) -> tuple[int, str, str]:
    """SIGINT to the whole process group (a terminal's Ctrl-C reaches the driver and Chromium too);
    SIGTERM to the process alone (`kill PID`, a service manager's stop)."""
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def stray_processes(sid: int) -> list[str]:
    """Processes still in the run's session once it ended (Chromium, Playwright's drivers and server, the
    workers of --parallel: those have process groups of their own, so the whole session is looked at)."""
    found = subprocess.run(["pgrep", "-a", "-s", str(sid)], capture_output=True, text=True, check=False)
    return found.stdout.splitlines()


def assert_clean(code: int, err: str, signum: int, pgid: int) -> None:
    assert code == (130 if signum == signal.SIGINT else 143), err
    assert "Traceback" not in err, err
    assert "left undone" in err or "stopped before it finished" in err, err
    wait_until(lambda: not stray_processes(pgid), 15)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("after_signins", [0, 2])
def test_keepalive_parallel_stops_cleanly_and_records_only_true_outcomes(
    stub, portal: Portal, tmp_path: Path, signum: int, after_signins: int  # type: ignore[no-untyped-def]
) -> None:
    """Signalled while starting its browsers, or with sign-ins under way: no false outcome in the ledger
    (every row is `ok`, and no more `ok` rows than sign-ins the portal counted), every browser gone."""
    env = {}
    body = ""
    for n, email in enumerate(EXTRA):
        portal.call("accounts", {"username": email, "password": f"Sig-{n}-Pass!", "seeded_passkey": True})
        env[password_env(email)] = f"Sig-{n}-Pass!"
        body += traces_account_toml(f"a{n}", email, tmp_path)
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(body)
    portal.call("faults", {"latency_ms": 150})
    home = tmp_path / "home"
    process = start(["--accounts", str(accounts), "--base-url", stub.base_url, "keepalive", "--parallel", "3"],
                    env, home)
    if after_signins:
        wait_until(lambda: sum(portal.account(e)["traces_signins"] for e in EXTRA) >= after_signins)
    else:
        wait_until(lambda: bool(stray_processes(process.pid)) and len(stray_processes(process.pid)) > 1, 30)
    code, _out, err = interrupt(process, signum)
    assert_clean(code, err, signum, process.pid)
    assert "keepalive:" in err

    history = subprocess.run([sys.executable, "-m", "flows", "--accounts", str(accounts), "accounts", "history",
                              "--json"], capture_output=True, text=True, timeout=60, check=False,
                             env={**os.environ, "TRACESCTL_HOME": str(home)})
    assert history.returncode == 0, history.stderr
    rows = json.loads(history.stdout)
    assert {r["outcome"] for r in rows} <= {"ok"}, rows
    for n, email in enumerate(EXTRA):
        recorded = sum(1 for r in rows if r["account"] == f"a{n}")
        assert recorded <= portal.account(email)["traces_signins"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_approve_apply_stops_cleanly_and_the_audit_matches_the_portal(
    stub, environ: dict[str, str], portal: Portal, tmp_path: Path, signum: int  # type: ignore[no-untyped-def]
) -> None:
    """Signalled part-way through the approvals: exit 130/143, the count left undone, and every change the
    portal made is either audited as verified or left as an intent the next run reconciles."""
    bulk = "bertil.bulk@vaxtexport.se"
    users = [f"user{n:03d}@nordicplant.se" for n in range(1, 9)]
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(traces_account_toml("bertil", bulk, tmp_path, "sv"))
    policy = tmp_path / "policy.toml"
    policy.write_text("[approve]\nemails = [" + ", ".join(f'"{u}"' for u in users) + "]\n")
    portal.call("faults", {"latency_ms": 100})
    home = tmp_path / "home"
    process = start(["--accounts", str(accounts), "--base-url", stub.base_url, "approve", "--policy", str(policy),
                     "--apply"], environ, home)
    wait_until(lambda: len(portal.state()["user_actions"]) >= 2)
    code, _out, err = interrupt(process, signum)
    assert_clean(code, err, signum, process.pid)
    assert "approve:" in err and "left undone" in err

    audit = subprocess.run([sys.executable, "-m", "flows", "audit", "--format", "json"], capture_output=True,
                           text=True, env={**os.environ, "TRACESCTL_HOME": str(home)}, timeout=60, check=False)
    rows = json.loads(audit.stdout)
    made = {k.split(":")[1] for k in portal.state()["user_actions"]}
    verified = {r["target"] for r in rows if r["outcome"] == "verified"}
    intents = {r["target"] for r in rows if r["outcome"] == "intent"}
    assert verified <= made  # nothing audited as done that the portal did not do
    assert made <= verified | intents  # and nothing done without its audit row
    assert len(intents) <= 1


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_login_stops_cleanly(stub, portal: Portal, tmp_path: Path, signum: int) -> None:  # type: ignore[no-untyped-def]
    """Signalled while the sign-in waits on a slow portal: exit 130/143, one line, no traceback."""
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(traces_account_toml("a", PASSWORD_USER, tmp_path, "sv", password_var="PW"))
    portal.call("faults", {"latency_ms": 400})
    process = start(["--accounts", str(accounts), "--base-url", stub.base_url, "login"],
                    {"PW": SEEDED[PASSWORD_USER]}, tmp_path / "home")
    wait_until(lambda: portal.form_count("cas.whoami") >= 1 or len(stray_processes(process.pid)) > 3, 60)
    code, _out, err = interrupt(process, signum)
    assert_clean(code, err, signum, process.pid)
    # One last line says it (as JSON here: stderr is not a terminal); no other line is an error's.
    assert last_words(err).startswith("interrupted ("), err
    assert len([line for line in err.splitlines() if '"exit_code"' in line or line.startswith("tracesctl:")]) == 1, err
