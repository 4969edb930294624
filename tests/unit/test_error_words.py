"""Issue 22: errors read as a tool's. A retry's log line names the step in words, not a function's
qualified name, and says what went wrong in words; Playwright's errors become sentences, not a
class name or a "Locator.click:" prefix, in messages and in log fields; a screen that does not come
is named in words."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from structlog.testing import capture_logs
from tenacity import wait_none

from automation.errors import PortalTimeoutError, PortalUnavailableError
from automation.log import mask_secrets
from automation.pages.base import portal_errors_as_transient
from automation.retry import retry_transient
from flows.jobs.approvals import Approvals, Decision

CLICK_TIMEOUT = ('Locator.click: Timeout 30000ms exceeded.\nCall log:\n'
                 '  - waiting for get_by_role("link", name="Log out")\n')


def test_a_retry_names_its_step_in_words() -> None:
    calls: list[int] = []

    @retry_transient("signing in to EU Login from TRACES")
    def reach() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise PortalUnavailableError("the portal answered 503 at http://localhost/cas/login")
        return "there"

    with capture_logs() as logs:
        assert reach.retry_with(wait=wait_none())() == "there"  # type: ignore[attr-defined]
    assert [(line["event"], line["reason"], line["attempt"]) for line in logs] == [
        ("signing in to EU Login from TRACES failed; trying again in 0 s",
         "the portal answered 503 at http://localhost/cas/login", 2)]
    assert not any(word in str(logs) for word in ("Retrying", "reach", "PortalUnavailableError", "test_error_words"))


def test_a_decisions_retry_names_the_user_being_approved() -> None:
    """approve's retry: "approving erik@...", whatever the method is called."""
    approvals = Approvals.__new__(Approvals)
    approvals.page = object()  # type: ignore[assignment]
    tries: list[int] = []

    def approve(_decision: Decision) -> None:
        tries.append(1)
        if len(tries) == 1:
            raise PortalTimeoutError("timed out after 30 s waiting for the user's page")

    approvals._approve = approve  # type: ignore[method-assign]
    quick: Any = Approvals._carry_out_one.retry_with(wait=wait_none())  # type: ignore[attr-defined]
    with capture_logs() as logs:
        quick(approvals, Decision("erik@vaxtexport.se", "Erik", "Växtexport AB", "approve"), None)
    assert [line["event"] for line in logs] == ["approving erik@vaxtexport.se failed; trying again in 0 s"]
    assert "_carry_out_one" not in str(logs)


def test_a_playwright_timeout_reads_as_words() -> None:
    from automation.error_words import in_words

    error = PlaywrightTimeout(CLICK_TIMEOUT)
    assert in_words(error) == 'timed out after 30 s waiting for get_by_role("link", name="Log out")'

    class FakePage:
        url = "http://localhost/tracesnt/home"

    with pytest.raises(PortalTimeoutError) as raised, portal_errors_as_transient(FakePage()):  # type: ignore[arg-type]
        raise error
    assert str(raised.value) == 'timed out after 30 s waiting for get_by_role("link", name="Log out")'


@pytest.mark.parametrize(("message", "words"), [
    ("Target page, context or browser has been closed", "the browser closed"),
    ("Page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:8700/tracesnt/\nCall log:\n"
     '  - navigating to "http://localhost:8700/tracesnt/", waiting until "load"\n',
     "the portal could not be reached at http://localhost:8700/tracesnt/: the connection was refused"),
    ('Page.goto: Timeout 5000ms exceeded.\nCall log:\n  - navigating to "http://localhost:8700/x", waiting until '
     '"load"\n', "timed out after 5 s waiting for http://localhost:8700/x to load"),
])
def test_other_playwright_errors_read_as_words(message: str, words: str) -> None:
    from playwright.sync_api import Error

    from automation.error_words import in_words

    assert in_words(Error(message)) == words


def test_an_error_in_a_log_field_is_words_not_its_repr() -> None:
    fields = mask_secrets(None, "warning", {"event": "x", "error": PlaywrightTimeout(CLICK_TIMEOUT)})
    assert fields["error"] == 'timed out after 30 s waiting for get_by_role("link", name="Log out")'


def test_a_screen_that_does_not_come_is_named_in_words() -> None:
    """A page object's timeout names its screen as a person says it, not its class."""
    from automation.pages.base import screen_words
    from automation.pages.eulogin.password import PasswordPage
    from automation.pages.traces.home import TracesHomePage
    from automation.pages.traces.registration import RequestAuthorisationDialog

    assert [screen_words(c) for c in (TracesHomePage, PasswordPage, RequestAuthorisationDialog)] == [
        "TRACES' home screen", "EU Login's password screen", "TRACES' request authorisation dialog"]
