"""Issue 22: one account's missing secret or bad settings does not stop keep-alive for the others:
each bad one is a `misconfigured` row naming what is wrong, the others are signed in, and the exit
code (2) says the configuration needs a person. `--strict` keeps the old stop-before-anything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import PASSWORD_USER, SEEDED, Portal, password_env, traces_account_toml

pytestmark = pytest.mark.e2e

ADMIN = "anna.admin@vaxtexport.se"


def accounts_file(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.toml"
    path.write_text(traces_account_toml("lars", PASSWORD_USER, tmp_path, "sv") +
                    f'[accounts.anna]\nemail = "{ADMIN}"\npassword_env = "ANNA_NOT_SET"\nfactor = "password"\n'
                    '[accounts.typo]\nemail = "t@x.se"\npassword_env = "T"\nfactor = "pasword"\n')
    return path


def keepalive(stub, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "TRACESCTL_HOME": str(tmp_path / "home"), password_env(PASSWORD_USER): SEEDED[PASSWORD_USER]}
    return subprocess.run([sys.executable, "-m", "flows", "--accounts", str(accounts_file(tmp_path)), "--base-url",
                           stub.base_url, "keepalive", "--json", *extra], capture_output=True, text=True, env=env,
                          timeout=180, check=False)


def test_the_others_are_signed_in_and_every_bad_account_is_named(stub, portal: Portal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = keepalive(stub, tmp_path)
    assert run.returncode == 2, run.stderr
    rows = {r["account"]: r for r in json.loads(run.stdout)}
    assert list(rows) == ["lars", "anna", "typo"]  # the accounts file's order
    assert rows["lars"]["outcome"] == "ok"
    assert rows["anna"]["outcome"] == "misconfigured" and "ANNA_NOT_SET" in rows["anna"]["detail"]
    assert rows["typo"]["outcome"] == "misconfigured" and "factor must be one of" in rows["typo"]["detail"]
    assert portal.account(PASSWORD_USER)["traces_signins"] == 1
    assert portal.account(ADMIN)["traces_signins"] == 0


def test_strict_stops_before_anything_is_sent(stub, portal: Portal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = keepalive(stub, tmp_path, "--strict")
    assert run.returncode == 2 and "factor must be one of" in run.stderr
    assert portal.account(PASSWORD_USER)["traces_signins"] == 0
    assert portal.form_count("cas.password") == 0
