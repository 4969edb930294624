"""Any screen, read the way the guide check reads it: the accessible names of what is visible
(from Playwright's ARIA snapshot), a guide label looked up among them, and the nearest name when
it is missing. Read-only: it never clicks; navigation is the page objects' job."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

SNAPSHOT_LINE = re.compile(r'^\s*- (?P<role>[a-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?[^:]*(?::\s*(?P<text>.*))?$')
# The roles each kind of guide label may have on screen.
ROLES = {
    "button": ("button",), "link": ("link",), "menu": ("link", "menuitem"), "column": ("columnheader",),
    "option": ("option",), "field": ("textbox", "combobox", "searchbox", "spinbutton"),
    "heading": ("heading",), "text": None,
}


def normalise(text: str) -> str:
    """Case, spacing and a trailing mandatory-field star do not count as a change of label."""
    return re.sub(r"\s+", " ", text).strip().rstrip("*").strip().casefold()


@dataclass(frozen=True)
class Element:
    role: str
    name: str


class ScreenReader:
    def __init__(self, page: Page) -> None:
        self.page = page

    def elements(self) -> list[Element]:
        found = []
        for line in self.page.locator("body").aria_snapshot().splitlines():
            match = SNAPSHOT_LINE.match(line)
            if not match or match["role"] == "url":
                continue
            name = match["name"] if match["name"] is not None else (match["text"] or "")
            if name:
                found.append(Element(match["role"], name.replace('\\"', '"')))
        return found

    def has_label(self, text: str, as_: str, elements: list[Element]) -> bool:
        roles = ROLES[as_]
        wanted = normalise(text)
        if roles is None:  # running text: anywhere on the screen, also where it is not an accessible name
            return any(wanted in normalise(e.name) for e in elements) or \
                self.page.get_by_text(text, exact=True).filter(visible=True).count() > 0
        return any(e.role in roles and normalise(e.name) == wanted for e in elements)

    @staticmethod
    def nearest(text: str, as_: str, elements: list[Element]) -> str | None:
        """The accessible name on screen most like `text`, among elements of the label's roles."""
        roles = ROLES[as_]
        names = list(dict.fromkeys(e.name for e in elements if roles is None or e.role in roles))
        by_norm = {normalise(n): n for n in names}
        match = difflib.get_close_matches(normalise(text), list(by_norm), n=1, cutoff=0.4)
        return by_norm[match[0]] if match else None

    def screenshot(self, path: str) -> None:
        self.page.screenshot(path=path, full_page=True)
