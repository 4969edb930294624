"""Passwords from a real command, end to end: the command line signs in with what the command prints, a
failing command stops before any browser, and reset-password keeps its hold until the command gives the
new password and a sign-in with it succeeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from automation.ledger import Ledger
from tests.helpers import PASSWORD_USER, Portal, password_env, seeded_passkey_file

pytestmark = pytest.mark.e2e


def helper(tmp_path: Path, secret_file: Path) -> Path:
    """A stand-in for `vault kv get -field=password ...`: prints the secret kept in its own store."""
    path = tmp_path / "fake-vault.sh"
    path.write_text(f'#!/bin/sh\necho "vault: reading secret/tracesctl/lars" >&2\ncat "{secret_file}"\n')
    path.chmod(0o700)
    return path


def cli(stub, tmp_path: Path, command: list[str], *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    accounts = tmp_path / "accounts.toml"
    listed = ", ".join(f'"{part}"' for part in command)
    accounts.write_text(f'[accounts.lars]\nemail = "{PASSWORD_USER}"\npassword_command = [{listed}]\n'
                        f'factor = "passkey"\npasskey_file = "{seeded_passkey_file(PASSWORD_USER, tmp_path)}"\n')
    env = {**os.environ, "TRACESCTL_HOME": str(tmp_path / "home"), "TRACESCTL_SECRET_TIMEOUT_S": "5"}
    return subprocess.run([sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub.base_url,
                           *args], capture_output=True, text=True, timeout=180, check=False, env=env)


def test_login_signs_in_with_the_password_a_command_prints(stub, environ: dict[str, str], portal: Portal,  # type: ignore[no-untyped-def]
                                                           tmp_path: Path) -> None:
    """password_command's output is the password; it is never printed, nor is the command's error output."""
    store = tmp_path / "store"
    store.write_text(environ[password_env(PASSWORD_USER)] + "\n")
    run = cli(stub, tmp_path, [str(helper(tmp_path, store))], "login", "--account", "lars")
    assert run.returncode == 0, run.stderr
    assert "signed in to TRACES" in run.stdout
    assert environ[password_env(PASSWORD_USER)] not in run.stdout + run.stderr
    assert "reading secret/tracesctl" not in run.stderr


def test_a_failing_command_stops_the_run_before_anything_is_sent(stub, portal: Portal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """exit 1 from the command: exit 2 with the reason, and the portal saw nothing."""
    run = cli(stub, tmp_path, ["false"], "login", "--account", "lars")
    assert run.returncode == 2, run.stderr
    assert "failed with exit status 1" in run.stderr and "nothing was sent" in run.stderr
    assert portal.form_count("cas.whoami") == 0 and portal.form_count("cas.password") == 0


def test_reset_password_keeps_the_hold_until_the_command_gives_the_new_password(  # type: ignore[no-untyped-def]
    stub, environ: dict[str, str], portal: Portal, tmp_path: Path
) -> None:
    """It cannot write where the command reads: it says where, holds the identity, and a sign-in goes through
    (and ends the hold) only once the command gives the new password."""
    store = tmp_path / "store"
    store.write_text("Old-Password-That-Was-Blocked\n")
    command = [str(helper(tmp_path, store))]
    portal.call("variants", {"lockout": "until_reset"})
    portal.call(f"accounts/{PASSWORD_USER}", {"blocked": True})
    reset = cli(stub, tmp_path, command, "accounts", "reset-password", "lars", "--mailbox", "offline-portal",
                "--apply")
    assert reset.returncode == 0, reset.stderr
    handover = tmp_path / "home" / "passwords" / "lars.txt"
    assert f"the command `{command[0]}`" in reset.stdout and f"password=@{handover}" in reset.stdout
    assert "The hold stays" in reset.stdout
    hold = Ledger.in_home(tmp_path / "home").hold(PASSWORD_USER)
    assert hold is not None and hold.kind == "reset"

    posted = portal.form_count("cas.password")
    held = cli(stub, tmp_path, command, "login", "--account", "lars")
    assert held.returncode == 3 and "waits for its new password" in held.stderr, held.stderr
    assert portal.form_count("cas.password") == posted  # the old password was not tried

    store.write_text(handover.read_text())  # the person stores it in the vault
    signed_in = cli(stub, tmp_path, command, "login", "--account", "lars")
    assert signed_in.returncode == 0, signed_in.stderr
    assert Ledger.in_home(tmp_path / "home").hold(PASSWORD_USER) is None
