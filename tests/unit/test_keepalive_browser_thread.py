"""Keep-alive's start of Playwright never ends in a traceback. A terminal's Ctrl-C reaches
Playwright's driver as well as tracesctl, so the driver can die while it starts (CI saw "Exception
in thread keepalive-browser" once, with the old browser thread): that failure is the interruption,
reported in one line. Any other failure to start is every account's outcome. No Chromium is needed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from automation import browser, cancel
from automation.cancel import Interrupted
from automation.config import Settings
from flows.jobs.keepalive import KeepAlive
from tests.helpers import make_account


@pytest.fixture
def thread_tracebacks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: seen.append(f"{args.thread}: {args.exc_value!r}"))
    return seen


def driver_that_dies(signal_first: bool) -> Any:
    @contextmanager
    def started() -> Iterator[Any]:
        if signal_first:
            cancel.cancel_requested.set()  # as the entry point's handler does when Ctrl-C arrives
        raise ConnectionError("Connection closed while reading from the driver")
        yield  # pragma: no cover - never reached

    return started


def keepalive(tmp_path: Path) -> tuple[KeepAlive, list[Any]]:
    settings = Settings(base_url="http://localhost:1", home=tmp_path / "home", artifacts_dir=tmp_path / "artifacts")
    accounts = [make_account(f"a{n}@example.se", "password", "en", tmp_path) for n in range(2)]
    environ = {account.password_env: "Pass-word-1!" for account in accounts}
    return KeepAlive(settings, environ), accounts


def test_a_driver_killed_by_the_signal_is_the_interruption_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, thread_tracebacks: list[str]
) -> None:
    monkeypatch.setattr(browser, "started_playwright", driver_that_dies(signal_first=True))
    runner, accounts = keepalive(tmp_path)
    try:
        with pytest.raises(Interrupted, match="0 of 2 accounts done"):
            runner.run(accounts, parallel=1)
    finally:
        cancel.cancel_requested.clear()
    assert thread_tracebacks == []


def test_a_driver_that_cannot_start_fails_every_account_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, thread_tracebacks: list[str]
) -> None:
    monkeypatch.setattr(browser, "started_playwright", driver_that_dies(signal_first=False))
    runner, accounts = keepalive(tmp_path)
    results = runner.run(accounts, parallel=1)
    assert [r.outcome for r in results] == ["failed", "failed"]
    assert all("Connection closed" in r.detail for r in results)
    assert thread_tracebacks == []
