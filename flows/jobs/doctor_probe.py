"""`doctor --probe`: a read-only look at EU Login's sign-in page, reporting which of the known
variants it shows. It opens the page and reads it; it never types, clicks or submits anything, so
it costs no attempt and leaves nothing in the portal but a page view."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from automation.catalog import Catalog
from automation.config import Settings
from automation.error_words import in_words
from automation.errors import ExitCode, TracesctlError
from flows.jobs.doctor import Finding

if TYPE_CHECKING:
    from playwright.sync_api import Page

# The verification-method chooser as public code sees it live (portal-facts.md, round 3), and the older form.
METHOD_CHOOSERS = (("the method drop-down (#verif-method-dd-id)", "#verif-method-dd-id"),
                   ("the native method list (select#loginStrength)", "select#loginStrength"))


def probe_findings(settings: Settings) -> Iterator[Finding]:
    from automation.browser import launch_browser, started_playwright

    url = f"{settings.eulogin_url}/login"
    try:
        with started_playwright() as playwright:
            browser = launch_browser(playwright, settings)
            try:
                context = browser.new_context()
                page = context.new_page()
                page.goto(url, wait_until="load", timeout=settings.timeout_ms)
                yield Finding("probe", "page", "ok", f"{url}: {page.title()!r}")
                yield from _labels(page, settings.locale, settings.timeout_ms)
                yield from _method_chooser(page)
                names = sorted({cookie["name"] for cookie in context.cookies()})
                prefixed = [n for n in names if n.startswith(("__Secure-", "__Host-"))]
                yield Finding("probe", "cookies", "ok",
                              (", ".join(names) or "none set yet")
                              + (f" ({len(prefixed)} with the __Secure-/__Host- prefix)" if prefixed else ""))
                context.close()
            finally:
                browser.close()
    except TracesctlError as error:
        yield Finding("probe", "page", "fail", str(error), error.exit_code)
    except Exception as error:  # noqa: BLE001 - a page that does not load is the finding
        yield Finding("probe", "page", "fail", f"{url} could not be read ({in_words(error)})",
                      ExitCode.PORTAL_UNAVAILABLE)


def _labels(page: Page, locale: str, timeout_ms: int) -> Iterator[Finding]:
    from automation.pages.eulogin.whoami import WhoamiPage

    step_one = WhoamiPage(page, Catalog(locale), timeout_ms)
    for key, found in step_one.labels_seen().items():
        if found is None:
            yield Finding("probe", key, "warn", f"not seen: {step_one.describe(key)} (drift? run guide-check)")
        else:
            yield Finding("probe", key, "ok", f"seen: {found!r}")


def _method_chooser(page: Page) -> Iterator[Finding]:
    seen = []
    for what, css in METHOD_CHOOSERS:
        element = page.locator(css)
        if element.count():
            seen.append(f"{what}, {'visible' if element.first.is_visible() else 'in the DOM, hidden'}")
    yield Finding("probe", "method chooser", "ok",
                  "; ".join(seen) if seen else "not on the first page (EU Login shows it after the e-mail)")
