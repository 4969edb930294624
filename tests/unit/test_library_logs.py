"""Playwright's own log lines (its stdlib `playwright` logger) go through the toolkit's log: one JSON
line off a terminal, never logging's last-resort traceback on stderr. The CI run of `keepalive
--parallel` stopped by SIGTERM printed such a traceback ("Cannot find command to respond")."""

from __future__ import annotations

import io
import json
import logging

import pytest

from automation import log
from automation.cancel import cancel_requested


def playwright_error() -> None:
    try:
        raise RuntimeError("Cannot find command to respond: pojp@123")
    except RuntimeError as error:
        logging.getLogger("playwright").error("Error occurred in event listener", exc_info=error)


def test_a_playwright_error_is_one_json_line_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    stream = io.StringIO()
    log.configure("json", "info", stream=stream)
    playwright_error()
    [line] = stream.getvalue().splitlines()
    record = json.loads(line)
    assert (record["event"], record["level"]) == ("Error occurred in event listener", "error")
    assert record["error"] == "Cannot find command to respond: pojp@123"  # in words: no class name (issue 22)
    assert "Traceback" not in capsys.readouterr().err


def test_after_a_signal_the_late_answers_are_debug_only(capsys: pytest.CaptureFixture[str]) -> None:
    stream = io.StringIO()
    log.configure("json", "info", stream=stream)
    cancel_requested.set()
    try:
        playwright_error()
    finally:
        cancel_requested.clear()
    assert stream.getvalue() == ""
    assert capsys.readouterr().err == ""
