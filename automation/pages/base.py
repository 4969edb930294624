"""What every page object stands on: the catalogue, waiting for the first of several outcomes,
and turning a portal's server error into a `PortalUnavailableError` instead of a long timeout."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from automation.catalog import Catalog
from automation.errors import PortalTimeoutError, PortalUnavailableError

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, Response

# How often a long wait stops to look for a server error (each slice is itself a condition wait).
_SLICE_MS = 250


def watch_server_errors(page: Page) -> None:
    """Remember the status of the page's last main-frame document, so waits can fail fast on a 5xx."""

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
        raise PortalTimeoutError(str(exc).splitlines()[0]) from None
    except PlaywrightError as exc:
        if "net::" in str(exc):
            raise PortalUnavailableError(str(exc).splitlines()[0]) from None
        raise


def first_visible(page: Page, candidates: Mapping[str, Locator], timeout_ms: float) -> str:
    """Wait until one of `candidates` is visible and return its name; fail fast on a 5xx page."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    combined: Locator | None = None
    for locator in candidates.values():
        combined = locator if combined is None else combined.or_(locator)
    assert combined is not None, "first_visible needs at least one candidate"
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        raise_on_server_error(page)
        remaining_ms = (deadline - time.monotonic()) * 1000
        if remaining_ms <= 0:
            raise PortalTimeoutError(
                f"none of {', '.join(candidates)} appeared within {timeout_ms / 1000:.0f} s at {page.url.split('?')[0]}"
            )
        try:
            combined.first.wait_for(state="visible", timeout=min(_SLICE_MS, remaining_ms))
        except PlaywrightTimeout:
            continue
        for name, locator in candidates.items():
            if locator.first.is_visible():
                return name
        # The match disappeared between the wait and the check (a navigation): look again.


class BasePage:
    """A screen of a portal, found through the catalogue in the account's locale."""

    def __init__(self, page: Page, catalog: Catalog, timeout_ms: float = 30_000) -> None:
        self.page = page
        self.catalog = catalog
        self.timeout_ms = timeout_ms

    def _locator(self, key: str, **fill: str) -> Locator:
        return self.catalog.locator(self.page, key, **fill)

    def _wait_for(self, key: str, **fill: str) -> None:
        first_visible(self.page, {key: self._locator(key, **fill)}, self.timeout_ms)

    def _choose_language(self, selector_key: str, locale: str) -> None:
        """Pick the language with the portal's selector; the portal remembers it afterwards."""
        self._wait_for(selector_key)
        selector = self._locator(selector_key)
        if selector.input_value() != locale:
            with self.page.expect_navigation():
                selector.select_option(value=locale)
