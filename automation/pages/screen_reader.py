"""Any screen, read the way the guide check reads it: the accessible names of what is visible
(from Playwright's ARIA snapshot), a guide label looked up among them, and the nearest name when
it is missing. Read-only: it never clicks; navigation is the page objects' job."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError

from automation.boxes import Box

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

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

    def box_of(self, text: str, as_: str, elements: list[Element]) -> Box | None:
        """Where the label `text` (as the guide calls it) is on the page, in full-page screenshot
        pixels; None when no visible element shows it."""
        roles = ROLES[as_]
        wanted = normalise(text)
        if roles is None:
            return self._box(self.page.get_by_text(text).filter(visible=True))
        names = [e for e in elements if e.role in roles and normalise(e.name) == wanted]
        return next((box for e in names if (box := self._box(self._element(e))) is not None), None)

    def box_of_name(self, name: str, as_: str, elements: list[Element]) -> Box | None:
        """Where the element with this exact accessible name (of the label's roles) is: the nearest
        candidate of a drifted label."""
        roles = ROLES[as_]
        candidates = [e for e in elements if e.name == name and (roles is None or e.role in roles)]
        return next((box for e in candidates if (box := self._box(self._element(e))) is not None), None)

    def _element(self, element: Element) -> Locator:
        return self.page.get_by_role(element.role, name=element.name, exact=True).filter(  # type: ignore[arg-type]
            visible=True)

    def _box(self, locator: Locator) -> Box | None:
        if locator.count() == 0:
            return None
        try:
            found = locator.first.bounding_box(timeout=1_000)
        except PlaywrightError:
            return None  # gone between the snapshot and now (a re-render): no box rather than a failed check
        if found is None:
            return None
        # bounding_box() is relative to the viewport; a full-page screenshot starts at the page's
        # top left, and has devicePixelRatio image pixels per CSS pixel.
        scroll_x, scroll_y, ratio = self.page.evaluate("[window.scrollX, window.scrollY, window.devicePixelRatio]")
        return Box((found["x"] + scroll_x) * ratio, (found["y"] + scroll_y) * ratio, found["width"] * ratio,
                   found["height"] * ratio)
