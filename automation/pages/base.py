"""What every page object stands on: the catalogue, the element that says the screen is there,
waiting for the first of several outcomes, a short grace before a missing label is called
toolkit drift, and turning a portal's server error into a `PortalUnavailableError` instead of a
long timeout.

A page object declares its catalogue entries once, as class constants (`EMAIL = "eulogin.whoami.username"`),
and names the one that says the screen is loaded in `ready`. Navigation methods return the next
page object, already loaded.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, ClassVar, Self, TypeVar

from automation.catalog import Catalog
from automation.error_words import playwright_words
from automation.errors import PortalTimeoutError, PortalUnavailableError, ToolkitDriftError

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, Response

# How often a long wait stops to look for a server error (each slice is itself a condition wait).
_SLICE_MS = 250
# How long an element may take to appear on a screen that is already there before the page object
# calls it drift. Server-rendered screens show their labels with the document; this only covers
# scripts that draw them a moment later. The long timeout stays for screens that are still coming.
# The default of Settings.drift_grace_ms (TRACESCTL_DRIFT_GRACE_MS), which flows pass to the first
# page object of a flow; every page object it leads to inherits it.
LABEL_GRACE_MS = 5_000
CATALOGUE_PREFIXES = ("eulogin.", "traces.")
P = TypeVar("P", bound="BasePage")


def watch_server_errors(page: Page) -> None:
    """Remember the status of the page's last main-frame document, so waits can fail fast on a 5xx."""
    if hasattr(page, "_tracesctl_last_status"):
        return

    def on_response(response: Response) -> None:
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            page._tracesctl_last_status = response.status  # type: ignore[attr-defined]

    page._tracesctl_last_status = 0  # type: ignore[attr-defined]
    page.on("response", on_response)


def raise_on_server_error(page: Page) -> None:
    status = getattr(page, "_tracesctl_last_status", 0)
    if status >= 500:
        raise PortalUnavailableError(f"the portal answered {status} at {page.url.split('?')[0]}")


@contextmanager
def portal_errors_as_transient(page: Page) -> Iterator[None]:
    """Playwright's timeouts and network errors become TransientError, which the retry policy knows."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        yield
    except PlaywrightTimeout as exc:
        raise_on_server_error(page)
        raise PortalTimeoutError(playwright_words(exc)) from None
    except PlaywrightError as exc:
        if "net::" in str(exc):
            raise PortalUnavailableError(playwright_words(exc)) from None
        raise


def first_visible(page: Page, candidates: Mapping[str, Locator], timeout_ms: float, what: str = "") -> str:
    """Wait until one of `candidates` is visible and return its name; fail fast on a 5xx page."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if not candidates:
        raise ValueError("first_visible needs at least one candidate")
    combined: Locator | None = None
    for locator in candidates.values():
        combined = locator if combined is None else combined.or_(locator)
    assert combined is not None  # for mypy: candidates is not empty
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        raise_on_server_error(page)
        remaining_ms = (deadline - time.monotonic()) * 1000
        if remaining_ms <= 0:
            waited = [name for name in candidates if name != "ready"]  # "ready": the screen itself, said already
            raise PortalTimeoutError(
                f"{what or 'the screen'} did not come within {timeout_ms / 1000:.0f} s at {page.url.split('?')[0]}"
                + (f" (waited for {', '.join(waited)})" if waited else "")
            )
        try:
            combined.first.wait_for(state="visible", timeout=min(_SLICE_MS, remaining_ms))
        except PlaywrightTimeout:
            continue
        if len(candidates) == 1:
            return next(iter(candidates))  # the wait saw it: asking again costs a round trip
        for name, locator in candidates.items():
            if locator.first.is_visible():
                return name
        # The match disappeared between the wait and the check (a navigation): look again.


def screen_words(cls: type) -> str:
    """A page object's screen in words, for messages a person reads (a class name is not one):
    TracesHomePage is "TRACES' home screen", PasswordPage "EU Login's password screen"."""
    words = re.findall(r"[A-Z][a-z]*", cls.__name__)
    kind = "dialog" if words[-1:] == ["Dialog"] else "screen"
    words = words[:-1] if words[-1:] in (["Page"], ["Dialog"]) else words
    portal = ("TRACES'" if ".pages.traces" in cls.__module__ else
              "EU Login's" if ".pages.eulogin" in cls.__module__ else "the")
    words = words[1:] if words[:1] == ["Traces"] else words
    named = " ".join(ACRONYMS.get(word, word.lower()) for word in words)
    return f"{portal} {named} {kind}" if named else f"{portal} {kind}"


ACRONYMS = {"Qr": "QR", "Pin": "PIN"}


class BasePage:
    """A screen of a portal, found through the catalogue in the account's locale."""

    ready: ClassVar[str]  # the catalogue entry whose visibility says the screen is there

    def __init__(self, page: Page, catalog: Catalog, timeout_ms: float = 30_000, *,
                 grace_ms: float = LABEL_GRACE_MS) -> None:
        self.page = page
        self.catalog = catalog
        self.timeout_ms = timeout_ms
        self.drift_grace_ms = grace_ms  # the setting; `grace_ms` is what a wait uses (never above the timeout)
        watch_server_errors(page)  # once per browser page: every wait can then fail fast on a 5xx

    @classmethod
    def keys(cls) -> frozenset[str]:
        """The catalogue entries this page object declares (its own and its bases')."""
        return frozenset(value for klass in cls.__mro__ for name, value in vars(klass).items()
                         if name.isupper() and isinstance(value, str) and value.startswith(CATALOGUE_PREFIXES))

    @property
    def screen(self) -> str:
        """This screen in words (`screen_words`), for messages."""
        return screen_words(type(self))

    @property
    def grace_ms(self) -> float:
        return min(self.timeout_ms, self.drift_grace_ms)

    def _locator(self, key: str, **fill: str) -> Locator:
        return self.catalog.locator(self._within(key), key, **fill)

    def _within(self, key: str) -> Page | Locator:
        """Where the element `key` is looked for: the whole page, unless the screen is a region of
        it (a dialog), whose elements are looked for inside it only."""
        return self.page

    def _ready_locator(self) -> Locator:
        return self._locator(self.ready)

    def _page(self, cls: type[P]) -> P:
        """Another page object on the same browser page, in the same locale, with the same waits."""
        return cls(self.page, self.catalog, self.timeout_ms, grace_ms=self.drift_grace_ms)

    def is_shown(self) -> bool:
        """Is this screen there now (read-only, no wait)?"""
        return self._ready_locator().first.is_visible()

    def wait_until_loaded(self) -> Self:
        first_visible(self.page, {"ready": self._ready_locator()}, self.timeout_ms, self.screen)
        return self

    def _wait_for(self, key: str, **fill: str) -> None:
        first_visible(self.page, {key: self._locator(key, **fill)}, self.timeout_ms, self.screen)

    def _require(self, key: str, **fill: str) -> Locator:
        """An element of this screen, which is there already: missing after a short grace, it is drift."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        locator = self._locator(key, **fill)
        try:
            locator.first.wait_for(state="attached", timeout=self.grace_ms)
        except PlaywrightTimeout:
            raise_on_server_error(self.page)
            raise ToolkitDriftError(type(self).__name__, key, self.catalog.describe(key, **fill)) from None
        return locator

    def finds(self, key: str) -> bool:
        """Read-only, for the guide check: is this page object's element `key` on the screen now?"""
        if key not in self.keys():
            raise KeyError(f"{type(self).__name__} declares no catalogue entry {key}")
        return self._locator(key).count() > 0

    def _choose_language(self, selector_key: str, locale: str) -> None:
        """Pick the language with the portal's selector; the portal remembers it afterwards."""
        selector = self._require(selector_key)
        if selector.input_value() != locale:
            with self.page.expect_navigation():
                selector.select_option(value=locale)

