"""The serial keep-alive path runs in the caller's thread: no helper thread of its own, which once
printed a traceback when a signal cut it short (issue 21)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from automation.config import AccountConfig, Settings
from flows.jobs.keepalive import KeepAlive
from flows.jobs.keepalive_result import Result
from tests.helpers import make_account


def test_a_serial_run_signs_in_from_the_callers_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every account of a serial run is worked on in the thread that called run(): a signal's
    Interrupted (raised in the main thread) unwinds the sign-in itself, with nothing left running."""
    seen: list[threading.Thread] = []

    def keep_alive(self: KeepAlive, browser: object, account: AccountConfig, due_only: bool) -> Result:
        seen.append(threading.current_thread())
        return self._result(account, "not-due", "a test's stand-in", 0.0)

    monkeypatch.setattr(KeepAlive, "keep_alive", keep_alive)
    monkeypatch.setattr(KeepAlive, "_wants_browser", lambda self, account, due_only: False)
    accounts = [make_account(f"serial{n}@vaxtexport.se", "password", "en", tmp_path) for n in range(2)]
    environ = {a.password_env: "Serial-Pass-1!" for a in accounts}
    runner = KeepAlive(Settings.from_env({"TRACESCTL_HOME": str(tmp_path / "home")}), environ)
    assert [r.outcome for r in runner.run(accounts)] == ["not-due", "not-due"]
    assert seen == [threading.current_thread()] * 2
