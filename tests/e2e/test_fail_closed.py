"""Issue 24 §1-2: one password attempt per EU Login identity, whatever the portal answers and whatever breaks.

The attempt is written to the ledger before the password is posted and only a confirmed success
clears it. Every test counts what the offline portal itself saw: password posts and failed passwords."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Page

from automation.config import Settings, identity_of
from automation.errors import CredentialsRejectedError, LedgerWriteError
from automation.factors import build_factor
from automation.ledger import Ledger, utc_now
from automation.locks import account_lock
from flows.jobs.keepalive import KeepAlive
from flows.jobs.keepalive_result import run_exit_code
from flows.jobs.signin import sign_in_to_traces
from tests.helpers import PASSWORD_USER, SEEDED, Portal, password_env, run_cli, traces_account, traces_account_toml
from tests.postgres import PostgresServer

pytestmark = pytest.mark.e2e
WRONG = "Wrong-Password-1!"


def posts(portal: Portal) -> int:
    """Password posts the portal received (each one counts towards EU Login's five when wrong)."""
    return portal.form_count("cas.password")


def accounts_file(tmp_path: Path, email: str = PASSWORD_USER, names: tuple[str, ...] = ("lars",)) -> Path:
    path = tmp_path / "accounts.toml"
    path.write_text("".join(traces_account_toml(n, email, tmp_path) for n in names))
    return path


def test_an_unrecognised_answer_costs_one_attempt_over_two_runs(settings: Settings, portal: Portal,
                                                                 tmp_path: Path) -> None:
    """EU Login words its wrong-password message differently from the catalogue's (the live wording is
    inferred): the first run holds the identity as unconfirmed, with a screenshot; the second never posts."""
    portal.drift("en", "cas.error.password", "Those credentials do not match our records.")
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    runner = KeepAlive(settings, {account.password_env: WRONG})
    first, second = runner.run([account])[0], runner.run([account])[0]
    assert (first.outcome, first.hold_kind, second.outcome, second.hold_kind) == \
        ("unconfirmed", "unconfirmed", "held", "unconfirmed")
    assert run_exit_code([second]) == 16
    assert (posts(portal), portal.account(PASSWORD_USER)["failed_passwords"]) == (1, 1)
    hold = runner.ledger.hold(identity_of(PASSWORD_USER))
    assert hold is not None and hold.kind == "unconfirmed"
    shot = re.search(r"Screenshot: (\S+\.png)", hold.reason)
    assert shot is not None and Path(shot.group(1)).stat().st_size > 0, hold.reason
    assert "tracesctl accounts release lars-losen" in hold.reason


@pytest.mark.parametrize("password", [WRONG, SEEDED[PASSWORD_USER]], ids=["wrong", "right"])
def test_a_lost_answer_is_never_posted_again(settings: Settings, portal: Portal, tmp_path: Path,
                                             password: str) -> None:
    """The password is processed and the answer lost (a 503): not retried, held unconfirmed, whether
    the password was right or wrong (the toolkit cannot know); the next run does not post."""
    portal.call("faults", {"after_password": "lost", "count": 1})
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    runner = KeepAlive(settings, {account.password_env: password})
    outcomes = [runner.run([account])[0].outcome for _ in range(2)]
    assert outcomes == ["unconfirmed", "held"]
    assert posts(portal) == 1
    assert portal.account(PASSWORD_USER)["failed_passwords"] == (1 if password == WRONG else 0)


def test_a_confirmed_success_clears_the_attempt(settings: Settings, environ: dict[str, str], portal: Portal,
                                                tmp_path: Path) -> None:
    """The right password: the attempt's hold is released by the sign-in itself, and the ledger keeps
    its history (placed, then released because EU Login accepted the password)."""
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    runner = KeepAlive(settings, environ)
    assert [runner.run([account])[0].outcome for _ in range(2)] == ["ok", "ok"]
    assert runner.ledger.hold(account.identity) is None
    assert posts(portal) == 2


def test_a_successful_ignore_hold_sign_in_releases_the_refusal(page: Page, settings: Settings,
                                                               environ: dict[str, str], portal: Portal,
                                                               tmp_path: Path) -> None:
    """A person tries through a refused hold (`login --ignore-hold`) and the password works: the hold goes."""
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    ledger = Ledger.open(settings)
    ledger.place_hold(account.identity, "EU Login rejected the password", utc_now(), "refused", account.name)
    sign_in_to_traces(page, settings, account, account.password(environ), build_factor(account, environ),
                      ledger, ignore_hold=True)
    assert ledger.hold(account.identity) is None


def test_a_refusal_after_ignore_hold_stays_refused(page: Page, settings: Settings, portal: Portal,
                                                   tmp_path: Path) -> None:
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    ledger = Ledger.open(settings)
    ledger.place_hold(account.identity, "EU Login rejected the password", utc_now(), "refused", account.name)
    environ = {account.password_env: WRONG}
    with pytest.raises(CredentialsRejectedError):
        sign_in_to_traces(page, settings, account, account.password(environ), build_factor(account, environ),
                          ledger, ignore_hold=True)
    hold = ledger.hold(account.identity)
    assert hold is not None and hold.kind == "refused"


# --- the ledger cannot take the attempt: nothing is posted ---------------------------------------


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A real, small file system (tmpfs) for the ledger, filled up once the ledger is open."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> None:
    with (folder / "filler").open("wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError:
            pass  # ENOSPC: the disk is full, as meant


def test_a_full_disk_stops_the_password_before_it_is_posted(page: Page, settings: Settings, environ: dict[str, str],
                                                            portal: Portal, tmp_path: Path,
                                                            full_disk: Path) -> None:
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    ledger = Ledger(full_disk / "ledger.sqlite3")
    fill(full_disk)
    with pytest.raises(LedgerWriteError, match="the password was not sent"):
        sign_in_to_traces(page, settings, account, account.password(environ), build_factor(account, environ), ledger)
    assert posts(portal) == 0


def test_a_lost_database_stops_the_password_before_it_is_posted(page: Page, settings: Settings,
                                                                environ: dict[str, str], portal: Portal,
                                                                tmp_path: Path, postgres: PostgresServer) -> None:
    """PostgreSQL goes away after the ledger was opened (its session is ended): nothing is posted."""
    import psycopg

    url = postgres.new_database()
    ledger = Ledger(database_url=url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    with pytest.raises(LedgerWriteError):
        sign_in_to_traces(page, replace(settings, database_url=url), account, account.password(environ),
                          build_factor(account, environ), ledger)
    assert posts(portal) == 0


# --- killed processes and overlapping commands -----------------------------------------------------


def start_login(stub_url: str, tmp_path: Path, home: Path, password: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TRACESCTL_HOME": str(home), password_env(PASSWORD_USER): password}
    return subprocess.Popen([sys.executable, "-m", "flows", "--accounts", str(accounts_file(tmp_path)),
                             "--base-url", stub_url, "login"], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_held_answer(portal: Portal, process: subprocess.Popen[str]) -> None:
    """Until the portal has the password post in hand (its answer held back), or the process ended."""
    seen = threading.Event()
    for _ in range(1200):
        if portal.form_count("cas.password.answer_held") >= 1 or process.poll() is not None:
            seen.set()
            break
        seen.wait(0.05)
    assert portal.form_count("cas.password.answer_held") == 1, process.communicate()[1][-3000:]


def test_a_process_killed_after_the_post_leaves_the_identity_held(stub, settings: Settings, portal: Portal,  # type: ignore[no-untyped-def]
                                                                  tmp_path: Path) -> None:
    """SIGKILL while EU Login's answer is on its way: the next run posts nothing (exit 16)."""
    portal.call("faults", {"after_password": "held", "count": 1})
    login = start_login(stub.base_url, tmp_path, settings.home, WRONG)
    try:
        wait_for_held_answer(portal, login)
    finally:
        login.send_signal(signal.SIGKILL)
        login.communicate(timeout=60)
        portal.call("faults", {"release_answers": True})
    hold = Ledger.open(settings).hold(identity_of(PASSWORD_USER))
    assert hold is not None and hold.kind == "unconfirmed"
    os.environ[password_env(PASSWORD_USER)] = WRONG
    try:
        assert run_cli(["--accounts", str(accounts_file(tmp_path)), "--base-url", stub.base_url, "login"]) == 16
    finally:
        del os.environ[password_env(PASSWORD_USER)]
    assert posts(portal) == 1


def test_two_overlapping_logins_cost_one_attempt(stub, settings: Settings, portal: Portal,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The second `login` starts while the first waits for EU Login's answer: it sends nothing."""
    portal.call("faults", {"after_password": "held", "count": 1})
    first = start_login(stub.base_url, tmp_path, settings.home, WRONG)
    try:
        wait_for_held_answer(portal, first)
        monkeypatch.setenv(password_env(PASSWORD_USER), WRONG)
        second = run_cli(["--accounts", str(accounts_file(tmp_path)), "--base-url", stub.base_url, "login"])
    finally:
        portal.call("faults", {"release_answers": True})
        _, first_err = first.communicate(timeout=120)
    assert second == 16 and "nothing was sent" in capsys.readouterr().err
    assert first.returncode == 3, first_err[-3000:]
    assert (posts(portal), portal.account(PASSWORD_USER)["failed_passwords"]) == (1, 1)


def test_a_command_finding_the_identity_locked_sends_nothing(stub, settings: Settings, portal: Portal,  # type: ignore[no-untyped-def]
                                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Another run holds the identity's lock (it is signing in): exit 15, and the portal saw nothing."""
    monkeypatch.setenv(password_env(PASSWORD_USER), SEEDED[PASSWORD_USER])
    with account_lock(settings, identity_of(PASSWORD_USER)) as lock:
        assert lock.try_acquire()
        code = run_cli(["--accounts", str(accounts_file(tmp_path)), "--base-url", stub.base_url, "login"])
    assert code == 15 and "signing in as" in capsys.readouterr().err
    assert portal.form_count("cas.whoami") == 0 and posts(portal) == 0


def test_portal_capture_places_and_honours_holds(stub, settings: Settings, portal: Portal,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`portal capture` with a wrong password: refused and held; the second capture posts nothing."""
    monkeypatch.setenv(password_env(PASSWORD_USER), WRONG)
    args = ["--accounts", str(accounts_file(tmp_path)), "--base-url", stub.base_url, "portal", "capture",
            "--out", str(tmp_path / "capture.json")]
    assert [run_cli(args) for _ in range(2)] == [3, 3]
    assert posts(portal) == 1
    hold = Ledger.open(settings).hold(identity_of(PASSWORD_USER))
    assert hold is not None and hold.kind == "refused"


def test_a_hold_from_before_identities_holds_every_name_of_the_email(stub, settings: Settings, portal: Portal,  # type: ignore[no-untyped-def]
                                                                     tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A hold written by a version that knew account names only (identity NULL) holds the other
    names of the same e-mail: `keepalive --account lars-again` sends nothing."""
    ledger = Ledger.open(settings)
    with ledger._transaction() as db:  # as version 2 wrote it: an account name, no identity
        db.execute("INSERT INTO holds (account, reason, placed_at) VALUES (?, ?, ?)",
                   ("lars", "EU Login rejected the password", utc_now().isoformat()))
    monkeypatch.setenv(password_env(PASSWORD_USER), WRONG)
    path = accounts_file(tmp_path, names=("lars", "lars-again"))
    assert run_cli(["--accounts", str(path), "--base-url", stub.base_url, "keepalive", "--account", "lars-again"]) == 3
    assert portal.form_count("cas.whoami") == 0
    hold = ledger.hold(identity_of(PASSWORD_USER))
    assert hold is not None and hold.account == "lars"
