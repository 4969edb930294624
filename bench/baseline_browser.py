"""Which Chromium the hand-written baselines start: the same one a plain Playwright script would.
Kept apart from tracesctl's own choice (automation/browser.py), so the baselines stay hand-written."""

from __future__ import annotations

import os
import shutil


def baseline_executable(playwright_chromium: str) -> str | None:
    """BROWSER_EXECUTABLE when set; else None (Playwright's own browser) when `playwright install`
    put it at `playwright_chromium`; else a system Chromium. A headless launch of Playwright's own
    browsers runs the headless shell, so the system one is the headless shell first, when installed."""
    if os.environ.get("BROWSER_EXECUTABLE"):
        return os.environ["BROWSER_EXECUTABLE"]
    if os.path.exists(playwright_chromium):
        return None
    return shutil.which("chromium-headless-shell") or shutil.which("chromium")
