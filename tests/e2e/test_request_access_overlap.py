"""Issue 24 §2: two overlapping `request-access --create-if-missing --apply` runs for one company
create one operator. They are made to search at the same moment (the portal holds its answers to
the operator search until both have asked, or until the second says it waits for the first)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import Portal, password_env, traces_account_toml

pytestmark = pytest.mark.e2e

FIRST, SECOND = "nils.ny@vaxtexport.se", "nora.ny@nyaplantor.se"
COMPANY = """name = "Nya Plantor Helsingborg AB"
organisation_number = "556321-9871"
street = "Industrigatan 4"
postal_code = "25227"
city = "Helsingborg"
phone = "+46 42 555 12 12"
email = "kontakt@nyaplantor.se"
"""


def wait_until(condition: Callable[[], bool], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the runs never got that far"
        threading.Event().wait(0.05)


class Run:
    """A `tracesctl request-access` process whose log lines (stderr) are read as they come."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.log: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)

    def said(self, words: str) -> bool:
        return any(words in line for line in self.log)

    def finish(self) -> tuple[int, dict[str, object]]:
        out, _ = self.process.communicate(timeout=120)
        self._reader.join(10)
        assert self.process.returncode == 0, "".join(self.log)
        return self.process.returncode, json.loads(out)


def test_two_overlapping_runs_create_one_operator_and_the_second_requests_authorisation(  # type: ignore[no-untyped-def]
    stub, portal: Portal, tmp_path: Path
) -> None:
    portal.call("accounts", {"username": SECOND, "password": "Nora-Ny-2025!", "seeded_passkey": True})
    accounts = tmp_path / "accounts.toml"
    accounts.write_text("".join(traces_account_toml(name, email, tmp_path, "sv")
                                for name, email in (("nils", FIRST), ("nora", SECOND))))
    company = tmp_path / "company.toml"
    company.write_text(COMPANY)
    env = {**os.environ, "TRACESCTL_HOME": str(tmp_path / "home"), password_env(FIRST): "Nils-Ny-2025!",
           password_env(SECOND): "Nora-Ny-2025!"}

    def run(account: str) -> Run:
        return Run([sys.executable, "-m", "flows", "--accounts", str(accounts), "--base-url", stub.base_url,
                    "request-access", "--account", account, "--operator", str(company), "--create-if-missing",
                    "--apply", "--json"], env)

    portal.call("faults", {"hold_operator_search": 2})
    first = run("nils")
    wait_until(lambda: portal.form_count("traces.operator_search.held") == 1)
    second = run("nora")
    # Without the company's lock the second run searches too (and both find nothing); with it, it waits.
    wait_until(lambda: second.said("waiting for another run") or portal.form_count("traces.operator_search.held") == 2)
    portal.call("faults", {"release_answers": True})

    _, created = first.finish()
    _, requested = second.finish()
    assert (created["outcome"], requested["outcome"]) == ("created", "requested")
    assert portal.form_count("traces.create_operator") == 1
    assert [o["name"] for o in portal.state()["operators"]].count("Nya Plantor Helsingborg AB") == 1
    assert [r["status"] for r in portal.state()["role_requests"] if r["username"] == SECOND] == ["pending"]
