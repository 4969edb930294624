"""What the command-line tests share."""

from __future__ import annotations

import pytest


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a command gets as far as starting Playwright (bad input, a held account, a
    command that only reads the ledger: each is answered before any browser)."""
    import playwright.sync_api

    def refuse() -> None:
        raise AssertionError("a browser was started")

    monkeypatch.setattr(playwright.sync_api, "sync_playwright", refuse)
