"""`tracesctl portal capture`: what the screens the toolkit knows look like, from a user's first live
run, in a file they can read and send back without sharing anything personal.

The capture signs in and takes the guide check's read-only walk (flows/jobs/screen_walk.py): nothing is
submitted. Per screen it records the URL path (query values dropped), the title, Playwright's ARIA
snapshot, the structure of its controls, buttons and links, and which catalogue entries of the
screen's page object are there. Every record is scrubbed (automation/scrub.py) as it is taken, so
personal data never reaches the file, nor even the capture held in memory.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from structlog.contextvars import bound_contextvars

from automation.catalog import Catalog
from automation.config import AccountConfig, Settings
from automation.errors import CatalogError, ToolkitDriftError
from automation.factors import Factor
from automation.log import get_logger
from automation.pages.base import BasePage
from automation.pages.fingerprint import read_controls
from automation.scrub import CELL, COOKIE, Scrubber
from automation.secrets import Secret
from flows.jobs.screen_walk import ScreenWalk

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)
CAPTURE_FORMAT = "tracesctl-portal-capture/1"


class ScreenCapture(ScreenWalk):
    """The read-only walk, recording each screen it reaches."""

    def __init__(self, page: Page, settings: Settings, account: AccountConfig, locale: str, scrubber: Scrubber,
                 catalog: Catalog | None = None) -> None:
        super().__init__(page, settings, account, locale, catalog)
        self.scrubber = scrubber
        self.screens: list[dict[str, Any]] = []
        self.not_captured: dict[str, str] = {}

    def run(self, password: Secret, factor: Factor) -> list[dict[str, Any]]:
        with bound_contextvars(flow="portal_capture", account=self.account.name, locale=self.locale):
            self.walk_screens(password, factor, self._record)
        return self.screens

    def _record(self, screen: str, model: BasePage, drift: ToolkitDriftError | None) -> None:
        for cookie in self.page.context.cookies():
            self.scrubber.register(cookie["value"], COOKIE)  # a session cookie can show up in a link or a form
        url = urlsplit(self.page.url)
        controls = [c.as_dict() for c in read_controls(self.page)]
        # A name that appears once among a table's rows is data (a person, a company); repeated, a label ("View").
        in_rows = Counter(c["accessible_name"] for c in controls if c["in_row"])
        for control in controls:
            if control["in_row"] and in_rows[control["accessible_name"]] < 2 and control["accessible_name"]:
                control["accessible_name"] = CELL
        # The snapshot first: the table rows it reads teach the scrubber names the controls may repeat.
        aria_snapshot = self.scrubber.aria_snapshot(self.page.locator("body").aria_snapshot())
        # What the page shows is scrubbed; what the toolkit names (screen, page object, entries) is not.
        self.screens.append({
            "screen": screen,
            "page_object": type(model).__name__,
            "path": self.scrubber.text(url.path),
            "query_keys": sorted({self.scrubber.text(key) for key, _ in parse_qsl(url.query, keep_blank_values=True)}),
            "title": self.scrubber.text(self.page.title()),
            "way_on_missing": drift.key if drift is not None else None,
            "catalogue": {key: _finds(model, key) for key in sorted(model.keys())},
            # Tag, type, role and class are the page's code, never its data: only names and ids are scrubbed.
            "controls": [c | {k: self.scrubber.tree(c[k]) for k in ("id", "name", "accessible_name")}
                         for c in controls],
            "aria_snapshot": aria_snapshot,
        })
        log.info("screen captured", screen=screen, controls=len(controls))

    def screen_skipped(self, screen: str, reason: str) -> None:
        self.not_captured[screen] = self.scrubber.text(f"skipped: {reason}")

    def screen_not_reached(self, screen: str, reason: str, drift: ToolkitDriftError | None) -> None:
        self.not_captured[screen] = self.scrubber.text(f"not reached: {reason}")


def _finds(model: BasePage, key: str) -> bool | None:
    """Is the catalogue entry there now; None for an entry that is a label, not an element (an option)."""
    try:
        return model.finds(key)
    except CatalogError:
        return None  # an option label: found through its select, not on its own


def capture_screens(page: Page, settings: Settings, account: AccountConfig, password: Secret, factor: Factor,
                    locale: str, extra_scrub: tuple[str, ...] = (), catalog: Catalog | None = None
                    ) -> dict[str, Any]:
    """Sign in, walk every screen read-only, and answer the scrubbed capture (nothing written yet)."""
    started = time.monotonic()
    scrubber = Scrubber.for_account(account.email, secrets=[password.reveal()], extra=extra_scrub)
    capture = ScreenCapture(page, settings, account, locale, scrubber, catalog)
    screens = capture.run(password, factor)
    portal = urlsplit(settings.base_url)
    return {
        "format": CAPTURE_FORMAT,
        "note": scrubber.note(),
        "captured_on": datetime.now(UTC).date().isoformat(),
        "portal": f"{portal.scheme}://{portal.netloc}",
        "locale": locale,
        "seconds": round(time.monotonic() - started, 1),
        "screens": screens,
        "not_captured": capture.not_captured,
        "notes": [scrubber.text(note) for note in capture.notes],
    }


def write_capture(path: Path, capture: dict[str, Any]) -> None:
    """Plain, indented JSON, replaced whole (a half-written capture is never left behind)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(capture, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)


def default_capture_path() -> Path:
    return Path(f"portal-capture-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json")
