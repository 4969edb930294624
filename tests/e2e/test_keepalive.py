"""Keep-alive end to end against the offline portal: due by the clock, holds that protect the five
password attempts, one sign-in per account at a time, parallel equals serial, retries, kills."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from automation.config import AccountConfig, Settings, identity_of
from automation.ledger import Ledger, SignInRecord
from flows.jobs.keepalive import KeepAlive
from tests.helpers import (
    INACTIVE_USER,
    PASSWORD_USER,
    SUSPENDED_USER,
    Portal,
    make_account,
    password_env,
    traces_account,
    traces_account_toml,
)
from tests.postgres import ON_BOTH_LEDGERS, both_ledgers

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def database_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """The ledger in SQLite; in PostgreSQL too for the tests marked ON_BOTH_LEDGERS (tests/postgres.py)."""
    return both_ledgers(request, monkeypatch)

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class Clock:
    """The toolkit's clock for a test; moved together with the portal's."""

    def __init__(self, portal: Portal) -> None:
        self.now = T0
        self.portal = portal

    def __call__(self) -> datetime:
        return self.now

    def advance(self, days: int) -> None:
        self.now += timedelta(days=days)
        self.portal.call("clock", {"advance_days": days})


def passkey_account(email: str, tmp: Path, **extra: object) -> AccountConfig:
    """`email` with its seeded passkey: TRACES takes no password alone (issue 20 section 2)."""
    return traces_account(email, "en", tmp, **extra)


def keepalive(settings: Settings, environ: dict[str, str], clock: Clock | None = None) -> KeepAlive:
    return KeepAlive(settings, environ, now=clock) if clock else KeepAlive(settings, environ)


def test_due_follows_the_interval_on_the_clock(
    settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """Signed in today: not due 10 days later (no visit to the portal); due after 31 days."""
    clock = Clock(portal)
    account = passkey_account(PASSWORD_USER, tmp_path)
    runner = keepalive(settings, environ, clock)
    assert [r.outcome for r in runner.run([account], due_only=True)] == ["ok"]
    clock.advance(10)
    assert [r.outcome for r in runner.run([account], due_only=True)] == ["not-due"]
    assert portal.form_count("cas.whoami") == 1
    clock.advance(21)
    assert [r.outcome for r in runner.run([account], due_only=True)] == ["ok"]
    assert portal.account(PASSWORD_USER)["traces_signins"] == 2
    assert [r.outcome for r in runner.ledger.signins(account.name)] == ["ok", "ok"]


def test_a_wrong_password_costs_one_attempt_however_many_runs_follow(
    settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """The first refusal puts the account on hold; five further runs never reach the portal."""
    account = passkey_account(PASSWORD_USER, tmp_path)
    wrong = {**environ, account.password_env: "Wrong-Password-1!"}
    runner = keepalive(settings, wrong)
    outcomes = [runner.run([account])[0].outcome for _ in range(6)]
    assert outcomes == ["refused"] + ["held"] * 5
    state = portal.account(PASSWORD_USER)
    assert (state["failed_passwords"], state["failed_in_row"], state["blocked"]) == (1, 1, False)
    assert runner.ledger.hold(account.identity) is not None


def test_release_lets_the_next_run_try_again(
    settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    account = passkey_account(PASSWORD_USER, tmp_path)
    assert keepalive(settings, {**environ, account.password_env: "Wrong-1!"}).run([account])[0].outcome == "refused"
    runner = keepalive(settings, environ)  # the password has been corrected
    assert runner.run([account])[0].outcome == "held"
    assert runner.ledger.release_hold(account.identity, T0, by="test") is True
    assert runner.run([account])[0].outcome == "ok"
    assert portal.account(PASSWORD_USER)["traces_signins"] == 1


def test_a_refused_second_factor_is_held_too(
    settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """A wrong one-time-password seed: refused once, then held."""
    from tests.helpers import APP_USER

    account = make_account(APP_USER, "app-qr", "en", tmp_path, otp_source="totp-env:WRONG_SEED")
    runner = keepalive(settings, {**environ, "WRONG_SEED": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"})
    assert [runner.run([account])[0].outcome for _ in range(3)] == ["refused", "held", "held"]
    assert portal.account(APP_USER)["failed_second_factors"] == 1


def ledger_at(home: Path) -> Ledger:
    """The ledger a command run with TRACESCTL_HOME=home uses (the database when the test set one)."""
    return Ledger.open(Settings.from_env({**os.environ, "TRACESCTL_HOME": str(home)}))


def run_cli(*args: str, env: dict[str, str], home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows", *args], capture_output=True, text=True, timeout=180,
                          env={**os.environ, **env, "TRACESCTL_HOME": str(home)}, check=False)


def accounts_toml(path: Path, emails: list[str]) -> Path:
    path.write_text("\n".join(traces_account_toml(e.split("@")[0].replace(".", "-"), e, path.parent) for e in emails))
    return path


@pytest.mark.parametrize(("email", "code", "message"), [
    (INACTIVE_USER, 5, f"{INACTIVE_USER} has not used TRACES"),  # the outcome says "inactive": the detail says why
    (SUSPENDED_USER, 6, "ask an administrator of the operator to unsuspend the user"),
])
def test_inactive_and_suspended_are_reported_with_their_exit_codes(
    stub, environ: dict[str, str], portal: Portal, tmp_path: Path, email: str, code: int, message: str  # type: ignore[no-untyped-def]
) -> None:
    accounts = accounts_toml(tmp_path / "accounts.toml", [email])
    run = run_cli("--accounts", str(accounts), "--base-url", stub.base_url, "keepalive", "--json",
                  env=environ, home=tmp_path / "home")
    assert run.returncode == code, run.stderr
    result = json.loads(run.stdout)[0]
    assert result["outcome"] != "ok" and result["detail"].startswith(message)


@ON_BOTH_LEDGERS
def test_two_overlapping_runs_sign_an_account_in_once(
    stub, environ: dict[str, str], portal: Portal, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """Two timer runs at once: one signs in, the other reports "busy" and leaves the account alone."""
    portal.call("faults", {"latency_ms": 300})  # each sign-in takes seconds: the runs overlap
    accounts = accounts_toml(tmp_path / "accounts.toml", [PASSWORD_USER])
    command = [sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub.base_url,
               "keepalive", "--json"]
    env = {**os.environ, **environ, "TRACESCTL_HOME": str(tmp_path / "home")}
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(2)]
    outcomes = sorted(json.loads(run.communicate(timeout=120)[0])[0]["outcome"] for run in runs)
    assert outcomes == ["busy", "ok"]
    assert portal.account(PASSWORD_USER)["traces_signins"] == 1


def test_parallel_gives_the_same_outcomes_as_serial(
    settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Eight accounts of every kind: --parallel 4 and a serial run record identical outcomes."""
    def arrange() -> tuple[list[AccountConfig], dict[str, str]]:
        env = dict(environ)
        accounts = [passkey_account(PASSWORD_USER, tmp_path), passkey_account(INACTIVE_USER, tmp_path),
                    passkey_account(SUSPENDED_USER, tmp_path)]
        for n in range(5):
            email = f"extra{n}@vaxtexport.se"
            portal.call("accounts", {"username": email, "password": f"Extra-{n}-Pass!", "seeded_passkey": True})
            env[password_env(email)] = f"Extra-{n}-Pass!" if n != 3 else "Wrong-Pass-1!"
            accounts.append(passkey_account(email, tmp_path))
        return accounts, env

    accounts, env = arrange()
    serial_runner = keepalive(replace(settings, home=tmp_path / "serial"), env)
    serial = serial_runner.run(accounts, parallel=1)
    portal.reset()
    accounts, env = arrange()
    # A ledger of its own, as the serial run had: its holds would make the parallel run's outcomes "held".
    database = request.getfixturevalue("postgres").new_database() if settings.database_url else None
    parallel_runner = keepalive(replace(settings, home=tmp_path / "parallel", database_url=database), env)
    parallel = parallel_runner.run(accounts, parallel=4)

    def outcomes(results: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
        return [(r.account, r.outcome) for r in results]

    assert outcomes(serial) == outcomes(parallel)
    assert {o for _, o in outcomes(serial)} == {"ok", "inactive", "suspended", "refused"}
    ledgered = [[(r.account, r.outcome) for r in runner.ledger.signins()]
                for runner in (serial_runner, parallel_runner)]
    assert sorted(ledgered[0]) == sorted(ledgered[1]) and len(ledgered[0]) == 8


def test_an_injected_server_error_is_retried_and_the_run_succeeds(
    settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    from structlog.testing import capture_logs

    portal.call("faults", {"fail_next": 1})
    with capture_logs() as logs:
        results = keepalive(settings, environ).run([passkey_account(PASSWORD_USER, tmp_path)])
    assert results[0].outcome == "ok"
    assert any(entry["log_level"] == "warning" and entry["event"].startswith(
        "signing in to EU Login from TRACES failed; trying again") for entry in logs), logs
    assert portal.account(PASSWORD_USER)["traces_signins"] == 1


@ON_BOTH_LEDGERS
def test_the_ledger_stays_readable_and_complete_after_a_kill(
    stub, environ: dict[str, str], portal: Portal, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """A run killed mid-way keeps every finished sign-in; the next --due run finishes the rest only."""
    emails = []
    for n in range(4):
        email = f"kill{n}@vaxtexport.se"
        portal.call("accounts", {"username": email, "password": f"Kill-{n}-Pass!", "seeded_passkey": True})
        environ[password_env(email)] = f"Kill-{n}-Pass!"
        emails.append(email)
    portal.call("faults", {"latency_ms": 150})
    accounts = accounts_toml(tmp_path / "accounts.toml", emails)
    home = tmp_path / "home"
    command = [sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub.base_url, "keepalive"]
    run = subprocess.Popen(command, env={**os.environ, **environ, "TRACESCTL_HOME": str(home)},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ledger_file = home / "ledger.sqlite3"
    database = os.environ.get("TRACESCTL_DATABASE_URL")

    def finished_signins() -> int:
        if database:
            return len(ledger_at(home).signins())
        # The run may have created the file and not yet its tables: that is "none yet", not an error.
        connection = sqlite3.connect(ledger_file)
        try:
            return int(connection.execute("SELECT count(*) FROM signins").fetchone()[0])
        except sqlite3.OperationalError:
            return 0
        finally:
            connection.close()

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if (database or ledger_file.exists()) and finished_signins():
            break
        threading.Event().wait(0.05)
    run.send_signal(signal.SIGKILL)
    run.wait()

    ledger = ledger_at(home)
    assert ledger.integrity_ok()
    finished = ledger.signins()
    assert 1 <= len(finished) < 4, "killed after the first account, before the last"
    assert all(r.outcome == "ok" and r.duration_s > 0 and r.method == "passkey" for r in finished)

    portal.call("faults", {"latency_ms": 0})
    again = run_cli("--accounts", str(accounts), "--base-url", stub.base_url, "keepalive", "--due", "--json",
                    env=environ, home=home)
    assert again.returncode == 0, again.stderr
    assert sorted(r["outcome"] for r in json.loads(again.stdout)).count("not-due") == len(finished)
    rows = ledger_at(home).signins()
    assert sorted(r.account for r in rows) == sorted(e.split("@")[0].replace(".", "-") for e in emails)
    assert all(r.outcome == "ok" for r in rows)
    # A sign-in the kill cut short was never recorded, so it is done again (harmless: it changes nothing).
    assert all(portal.account(e)["traces_signins"] >= 1 for e in emails)


def test_status_flags_holds_and_nearing_inactivity(stub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Exit 3 while an account is held; exit 8 within the warning days of inactivity; 0 otherwise."""
    home = tmp_path / "home"
    accounts = accounts_toml(tmp_path / "accounts.toml", [PASSWORD_USER])
    ledger = ledger_at(home)
    now = datetime.now(UTC)
    ledger.record_signin(SignInRecord(now - timedelta(days=112), "lars-losen", "password", "ok", "", 1.0))
    status = run_cli("--accounts", str(accounts), "accounts", "status", "--json", env={}, home=home)
    assert status.returncode == 8, status.stdout + status.stderr
    row = json.loads(status.stdout)[0]
    assert row["near_inactivity"] is True and 5 <= row["days_left"] <= 10
    assert run_cli("--accounts", str(accounts), "accounts", "status", "--warn-days", "3", env={},
                   home=home).returncode == 0
    ledger.place_hold(identity_of(PASSWORD_USER), "EU Login rejected the password", now, account="lars-losen")
    held = run_cli("--accounts", str(accounts), "accounts", "status", env={}, home=home)
    assert held.returncode == 3 and "EU Login rejected the password" in held.stdout
    released = run_cli("--accounts", str(accounts), "accounts", "release", "lars-losen", env={}, home=home)
    assert released.returncode == 0 and "hold released" in released.stdout
    assert ledger_at(home).hold(identity_of(PASSWORD_USER)) is None


def test_notify_sends_one_message_about_a_held_account(
    stub, environ: dict[str, str], portal: Portal, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """--notify posts through apprise (here a json:// URL to a local receiver)."""
    received: list[dict[str, str]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return None

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        accounts = accounts_toml(tmp_path / "accounts.toml", [PASSWORD_USER])
        env = {**environ, password_env(PASSWORD_USER): "Wrong-Password-1!"}
        run = run_cli("--accounts", str(accounts), "--base-url", stub.base_url, "keepalive", "--notify",
                      f"json://127.0.0.1:{server.server_port}/hook", env=env, home=tmp_path / "home")
    finally:
        server.shutdown()
    assert run.returncode == 3, run.stderr
    assert len(received) == 1
    assert "lars-losen: refused: EU Login rejected the password" in received[0]["message"]
    assert "Wrong-Password" not in json.dumps(received)


def test_bad_input_stops_keepalive_before_any_browser(tmp_path: Path) -> None:
    accounts = accounts_toml(tmp_path / "accounts.toml", [PASSWORD_USER])
    for args, message in ((["keepalive"], "is not set or empty"),
                          (["keepalive", "--parallel", "0"], "--parallel must be between 1 and 64"),
                          (["keepalive", "--notify", "nonsense"], "apprise does not understand"),
                          (["keepalive", "--account", "nobody"], "unknown account")):
        run = run_cli("--accounts", str(accounts), *args, env={}, home=tmp_path / "home")
        assert run.returncode == 2 and message in run.stderr, (args, run.stderr)
