"""The EU Login app's registration wait reads the countdown without waiting for it (the demo failed
here under load: the phone finished between the count of the countdown and its read, and the read
waited 30 s for a countdown that the next page no longer had)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from automation.pages.eulogin import enrolment
from automation.pages.eulogin.enrolment import EnrolmentPage


class GoneCountdown:
    """The countdown as the page moves on: it was counted, and is gone when read."""

    first: GoneCountdown

    def __init__(self) -> None:
        self.first = self

    def count(self) -> int:
        return 1

    def text_content(self, timeout: float | None = None) -> str:
        raise PlaywrightTimeout("Locator.text_content: Timeout 30000ms exceeded.")

    def all_text_contents(self) -> list[str]:
        return []


class Devices:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def wait_until_loaded(self) -> str:
        return "the device list"


def test_a_countdown_gone_when_read_does_not_stall_the_registration(monkeypatch: pytest.MonkeyPatch) -> None:
    page = EnrolmentPage.__new__(EnrolmentPage)
    page.page, page.catalog, page.timeout_ms, page.drift_grace_ms = None, None, 30_000, 1000  # type: ignore[assignment]
    monkeypatch.setattr(page, "_locator", lambda key, **fill: GoneCountdown())
    monkeypatch.setattr(enrolment, "first_visible", lambda *args, **kwargs: "registered")
    shown: list[int] = []
    assert page.wait_for_phone(60, shown.append, Devices) == "the device list"  # type: ignore[arg-type,comparison-overlap]
    assert shown == []  # nothing on screen to show: no made-up number either
