"""Several hosts, one PostgreSQL ledger: simulated hosts are processes with separate TRACESCTL_HOMEs
sharing one database. Each due account is signed in once, a kill leaves no lock and no half row,
and a wrong password is tried once however many hosts run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from automation.config import Settings
from automation.ledger import Ledger
from automation.locks import AdvisoryLock, account_lock
from flows.jobs.keepalive import KeepAlive
from tests.helpers import PASSWORD_USER, Portal, password_env, traces_account, traces_account_toml
from tests.postgres import PostgresServer

pytestmark = pytest.mark.e2e


@pytest.fixture
def database_url(postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> str:
    url = postgres.new_database()
    monkeypatch.setenv("TRACESCTL_DATABASE_URL", url)
    return url


def extra_accounts(portal: Portal, environ: dict[str, str], count: int, prefix: str) -> list[str]:
    emails = []
    for n in range(count):
        email = f"{prefix}{n}@vaxtexport.se"
        portal.call("accounts", {"username": email, "password": f"{prefix.title()}-{n}-Pass!",
                                 "seeded_passkey": True})
        environ[password_env(email)] = f"{prefix.title()}-{n}-Pass!"
        emails.append(email)
    return emails


def accounts_toml(path: Path, emails: list[str]) -> Path:
    # One passkey file per account for every host, as one shared home would hold it (its counter advances once).
    path.write_text("\n".join(traces_account_toml(e.split("@")[0], e, path.parent) for e in emails))
    return path


def keepalive_command(stub_url: str, accounts: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub_url, "keepalive", *extra]


def advisory_locks(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted").fetchone()
        return int(row[0]) if row else 0


def test_two_hosts_at_the_same_moment_sign_each_due_account_in_once(
    stub, environ: dict[str, str], portal: Portal, tmp_path: Path, database_url: str  # type: ignore[no-untyped-def]
) -> None:
    """Two `keepalive --due` runs, separate homes, one database: every account signed in exactly once."""
    emails = extra_accounts(portal, environ, 6, "host")
    portal.call("faults", {"latency_ms": 100})  # the runs overlap for seconds
    accounts = accounts_toml(tmp_path / "accounts.toml", emails)
    command = keepalive_command(stub.base_url, accounts, "--due", "--json")
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, **environ, "TRACESCTL_HOME": str(tmp_path / f"host{n}")})
            for n in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    results = [result for out, err in outputs for result in json.loads(out or "[]")]
    assert len(results) == 12, [err for _, err in outputs]
    for email in emails:
        name = email.split("@")[0]
        outcomes = sorted(r["outcome"] for r in results if r["account"] == name)
        assert outcomes in (["busy", "ok"], ["not-due", "ok"]), (name, outcomes)
        assert portal.account(email)["traces_signins"] == 1
    assert sorted(r.account for r in Ledger(database_url=database_url).signins()) == sorted(
        e.split("@")[0] for e in emails)


def test_a_killed_host_leaves_no_lock_and_no_half_written_row(
    stub, environ: dict[str, str], portal: Portal, tmp_path: Path, database_url: str  # type: ignore[no-untyped-def]
) -> None:
    """SIGKILL mid-run: the finished sign-ins are whole rows, no advisory lock stays, and another
    host's --due run signs in exactly the accounts not yet recorded."""
    emails = extra_accounts(portal, environ, 4, "kill")
    portal.call("faults", {"latency_ms": 150})
    accounts = accounts_toml(tmp_path / "accounts.toml", emails)
    run = subprocess.Popen(keepalive_command(stub.base_url, accounts),
                           env={**os.environ, **environ, "TRACESCTL_HOME": str(tmp_path / "a")},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ledger = Ledger(database_url=database_url)
    deadline = time.monotonic() + 120
    while not ledger.signins() and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    # Between two accounts the run holds no lock for a moment (the first's is released before the
    # next is taken): wait for the next account's lock, the event, instead of sampling that instant.
    while advisory_locks(database_url) < 1 and run.poll() is None and time.monotonic() < deadline:
        threading.Event().wait(0.02)
    assert advisory_locks(database_url) >= 1, "the run holds the lock of the account it signs in"
    run.send_signal(signal.SIGKILL)
    run.wait()

    deadline = time.monotonic() + 30  # the server ends the dead client's session when it sees the socket close
    while advisory_locks(database_url) and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    assert advisory_locks(database_url) == 0
    finished = ledger.signins()
    assert 1 <= len(finished) < 4
    assert all(r.outcome == "ok" and r.duration_s > 0 and r.method == "passkey" for r in finished)

    portal.call("faults", {"latency_ms": 0})
    again = subprocess.run(keepalive_command(stub.base_url, accounts, "--due", "--json"), capture_output=True,
                           text=True, timeout=180, check=False,
                           env={**os.environ, **environ, "TRACESCTL_HOME": str(tmp_path / "b")})
    assert again.returncode == 0, again.stderr
    outcomes = [r["outcome"] for r in json.loads(again.stdout)]
    assert outcomes.count("not-due") == len(finished) and outcomes.count("ok") == 4 - len(finished)
    assert sorted(r.account for r in ledger.signins()) == sorted(e.split("@")[0] for e in emails)


def test_a_wrong_password_on_one_host_holds_the_identity_for_every_host(
    settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path, database_url: str
) -> None:
    """Host A's refusal is the only attempt the portal counts; hosts B and C, and A again, see the hold."""
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    wrong = {**environ, account.password_env: "Wrong-Password-1!"}
    hosts = [KeepAlive(replace(settings, home=tmp_path / name, database_url=database_url), wrong)
             for name in ("a", "b", "c")]
    outcomes = [host.run([account])[0].outcome for host in (*hosts, *hosts)]
    assert outcomes == ["refused"] + ["held"] * 5
    state = portal.account(PASSWORD_USER)
    assert (state["failed_passwords"], state["failed_in_row"], state["blocked"]) == (1, 1, False)


def test_an_advisory_lock_is_one_holder_at_a_time_and_dies_with_its_process(database_url: str,
                                                                              tmp_path: Path) -> None:
    """Across connections (hosts) one holder; a SIGKILLed holder frees the lock without any cleanup."""
    settings = Settings(home=tmp_path / "home", database_url=database_url)
    with account_lock(settings, "x@example.se") as first:
        assert isinstance(first, AdvisoryLock) and first.try_acquire()
        assert not AdvisoryLock(database_url, "x@example.se").try_acquire()
        assert AdvisoryLock(database_url, "y@example.se").try_acquire()  # another identity is free
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from automation.locks import AdvisoryLock; "
         f"lock = AdvisoryLock({database_url!r}, 'x@example.se'); assert lock.try_acquire(); "
         "print('held', flush=True); "
         "sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    assert not AdvisoryLock(database_url, "x@example.se").try_acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    deadline = time.monotonic() + 30
    lock = AdvisoryLock(database_url, "x@example.se")
    while not lock.try_acquire():
        assert time.monotonic() < deadline, "the killed holder's lock was never released"
        threading.Event().wait(0.05)
    lock.release()


def test_a_newer_schema_than_the_tool_knows_is_refused(database_url: str, tmp_path: Path) -> None:
    """Both backends: a ledger migrated by a newer tracesctl stops this one with a ConfigError."""
    from automation.errors import ConfigError
    from automation.ledger import SCHEMA

    Ledger(database_url=database_url).close()
    with psycopg.connect(database_url) as connection:
        connection.execute("UPDATE schema_version SET version = %s", (len(SCHEMA) + 1,))
    newer = rf"schema version {len(SCHEMA) + 1}, newer than this tracesctl knows \({len(SCHEMA)}\)"
    with pytest.raises(ConfigError, match=newer):
        Ledger(database_url=database_url)

    path = tmp_path / "ledger.sqlite3"
    Ledger(path).close()
    import sqlite3

    sqlite3.connect(path).execute(f"PRAGMA user_version = {len(SCHEMA) + 1}")
    with pytest.raises(ConfigError, match="newer than this tracesctl knows"):
        Ledger(path)
