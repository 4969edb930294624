"""Issue 16 §1 end to end: no path makes a second wrong attempt on one EU Login identity.

Each test asserts the offline portal's own counter of failed passwords."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Page

from automation.config import Settings, identity_of
from automation.ledger import Ledger, utc_now
from automation.mailbox import OfflinePortalMailbox
from flows.jobs.keepalive import KeepAlive
from flows.jobs.reset_password import reset_password
from tests.helpers import (
    INACTIVE_USER,
    PASSWORD_USER,
    SEEDED,
    Portal,
    password_env,
    traces_account,
    traces_account_toml,
)

pytestmark = pytest.mark.e2e
WRONG = "Wrong-Password-1!"


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **env}, timeout=120, check=False)


def accounts(tmp_path: Path, email: str, names: tuple[str, ...] = ("a",)) -> Path:
    path = tmp_path / "accounts.toml"
    path.write_text("".join(traces_account_toml(n, email, tmp_path, password_var="PW") for n in names))
    return path


def test_five_login_runs_with_a_wrong_password_cost_one_attempt(stub, portal: Portal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The first `login` is refused and holds the e-mail; the next four stop before any browser."""
    path = accounts(tmp_path, PASSWORD_USER)
    runs = [run_cli("--accounts", str(path), "--base-url", stub.base_url, "login",
                    env={"PW": WRONG}, cwd=tmp_path) for _ in range(5)]
    assert [r.returncode for r in runs] == [3] * 5, runs[0].stderr[-3000:]
    assert "error: EU Login rejected the password" in runs[0].stderr
    assert all("is on hold (refused)" in r.stderr and "tracesctl accounts release a" in r.stderr for r in runs[1:])
    assert portal.account(PASSWORD_USER)["failed_passwords"] == 1


def test_an_unwritable_artifacts_folder_never_changes_a_failures_outcome_or_hold(stub, portal: Portal,  # type: ignore[no-untyped-def]
                                                                                tmp_path: Path) -> None:
    """A failure that keeps artifacts (EU Login's answer to the password is lost: exit 16; a refusal
    keeps none) while the artifacts folder cannot be made (its parent is a file): still exit 16, and
    the hold is placed."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    path = accounts(tmp_path, PASSWORD_USER)
    env = {"PW": WRONG, "TRACESCTL_ARTIFACTS": str(blocker / "artifacts")}
    portal.call("faults", {"after_password": "lost", "count": 1})
    first = run_cli("--accounts", str(path), "--base-url", stub.base_url, "login", env=env, cwd=tmp_path)
    second = run_cli("--accounts", str(path), "--base-url", stub.base_url, "login", env=env, cwd=tmp_path)
    assert first.returncode == 16, first.stderr
    assert "artifacts of the failed flow could not be kept" in first.stderr
    assert second.returncode == 16 and "is on hold (unconfirmed)" in second.stderr, second.stderr
    assert portal.form_count("cas.password") == 1


@pytest.mark.parametrize("parallel", [1, 3])
def test_five_account_names_sharing_one_email_cost_one_attempt(
    settings: Settings, portal: Portal, tmp_path: Path, parallel: int
) -> None:
    """Keep-alive holds the identity, not the name: the other four names are held or busy."""
    base = traces_account(PASSWORD_USER, "en", tmp_path)
    names = [replace(base, name=f"lars-{n}") for n in range(5)]
    results = KeepAlive(settings, {base.password_env: WRONG}).run(names, parallel=parallel)
    assert sorted(r.outcome for r in results).count("refused") == 1
    assert {r.outcome for r in results} <= {"refused", "held", "busy"}
    assert portal.account(PASSWORD_USER)["failed_passwords"] == 1


def test_keepalive_with_unwritable_artifacts_still_holds(settings: Settings, portal: Portal, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    unwritable = replace(settings, artifacts_dir=blocker / "artifacts")
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    portal.call("faults", {"after_password": "lost", "count": 1})  # a failure that keeps artifacts
    runner = KeepAlive(unwritable, {account.password_env: WRONG})
    assert [runner.run([account])[0].outcome for _ in range(3)] == ["unconfirmed", "held", "held"]
    assert portal.form_count("cas.password") == 1


def test_inactive_is_held_for_keepalive_until_a_persons_sign_in_succeeds(
    stub, settings: Settings, portal: Portal, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """Inactive: keep-alive holds it and stops trying; after the authority reactivates it, `login`
    (a person's command) gets through and its success releases the hold."""
    account = traces_account(INACTIVE_USER, "en", tmp_path)
    environ = {account.password_env: SEEDED[INACTIVE_USER]}
    runner = KeepAlive(settings, environ)
    assert runner.run([account])[0].outcome == "inactive"
    hold = runner.ledger.hold(identity_of(INACTIVE_USER))
    assert hold is not None and hold.kind == "inactive"
    assert runner.run([account], due_only=True)[0].outcome == "held"
    assert portal.account(INACTIVE_USER)["traces_signins"] == 0
    portal.call(f"accounts/{INACTIVE_USER}", {"last_use_days_ago": 1})
    path = accounts(tmp_path, INACTIVE_USER)
    login = run_cli("--accounts", str(path), "--base-url", stub.base_url, "login",
                    env={"PW": SEEDED[INACTIVE_USER], "TRACESCTL_HOME": str(settings.home)}, cwd=tmp_path)
    assert login.returncode == 0, login.stderr
    assert runner.ledger.hold(identity_of(INACTIVE_USER)) is None
    assert runner.run([account], due_only=True)[0].outcome == "ok"  # tried again, and it works


def test_reset_password_keeps_the_hold_while_password_env_holds_the_old_password(
    page: Page, settings: Settings, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """The new password went to a file the account does not read: releasing would cost one more attempt."""
    account = traces_account(PASSWORD_USER, "en", tmp_path)
    ledger = Ledger.in_home(settings.home)
    ledger.place_hold(account.identity, "EU Login rejected the password", utc_now(), "refused", account.name)
    stored = reset_password(page, settings, account, OfflinePortalMailbox(settings.base_url), ledger, True,
                            {password_env(PASSWORD_USER): SEEDED[PASSWORD_USER]})
    assert stored is not None and stored.is_file()
    assert ledger.hold(account.identity) is not None


def test_chromium_writes_nothing_outside_the_home(stub, portal: Portal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A failing `login` with HOME pointing at an empty folder: the folder stays empty (no Crash
    Reports, no dconf); Chromium's folders are under TRACESCTL_HOME/browser."""
    fake_home = tmp_path / "user-home"
    fake_home.mkdir()
    path = accounts(tmp_path, PASSWORD_USER)
    env = {"PW": WRONG, "HOME": str(fake_home), "TRACESCTL_HOME": str(tmp_path / "state")}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    run = subprocess.run([sys.executable, "-m", "flows", "--accounts", str(path), "--base-url", stub.base_url,
                          "login"], capture_output=True, text=True, cwd=tmp_path, env={**clean, **env},
                         timeout=120, check=False)
    assert run.returncode == 3, run.stderr
    assert sorted(p.relative_to(fake_home).as_posix() for p in fake_home.rglob("*")) == []
    assert (tmp_path / "state" / "browser").is_dir()
