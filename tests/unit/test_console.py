"""One console for a person's terminal: log lines print above the approvals bar and the app-PIN
countdown instead of tearing them; off a terminal, no bar and plain lines."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from rich.console import Console

import automation.console
from automation import log
from automation.console import Countdown, ProgressBar

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def terminal() -> Iterator[io.StringIO]:
    out = io.StringIO()
    automation.console._console[:] = [Console(file=out, force_terminal=True, width=100, no_color=True)]
    yield out
    automation.console.stop_live_displays()
    automation.console._console.clear()


def lines(out: io.StringIO) -> list[str]:
    return [ANSI.sub("", line) for line in re.split(r"[\r\n]", out.getvalue())]


def test_a_log_line_never_shares_a_line_with_the_progress_bar(terminal: io.StringIO) -> None:
    log.configure("console", "info")
    bar = ProgressBar("approving")
    bar(1, 3)
    log.get_logger("t").info("decision made", user="u1")
    bar(3, 3)
    text = lines(terminal)
    logged = [line for line in text if "decision made" in line]
    assert logged and not any("1/3" in line or "3/3" in line for line in logged), text
    assert any("3/3" in line for line in text)


def test_a_log_line_never_shares_a_line_with_the_countdown(terminal: io.StringIO) -> None:
    log.configure("console", "info")
    countdown = Countdown()
    countdown(42, "Approve the sign-in in the EU Login app")
    log.get_logger("t").info("still waiting")
    countdown(0, "Approve the sign-in in the EU Login app")
    logged = [line for line in lines(terminal) if "still waiting" in line]
    assert logged and not any(" left" in line for line in logged)


def test_off_a_terminal_there_is_no_bar() -> None:
    out = io.StringIO()
    automation.console._console[:] = [Console(file=out, force_terminal=False)]
    try:
        ProgressBar("approving")(1, 2)
        Countdown()(10, "x")
    finally:
        automation.console.stop_live_displays()
        automation.console._console.clear()
    assert out.getvalue() == ""


def test_the_countdown_reads_minutes_and_seconds(terminal: io.StringIO) -> None:
    """A wait of minutes reads at a glance: "24:59 left", not "1499 s left"."""
    Countdown()(1499, "Waiting for EU Login's e-mail")
    assert "Waiting for EU Login's e-mail — 24:59 left" in terminal.getvalue()


def test_a_countdown_under_a_running_bar_shares_its_line(terminal: io.StringIO) -> None:
    """keepalive's bar and an account's app-PIN countdown at once: the countdown goes on the bar's line
    (one live display: rich 13 refuses a second), and leaves it with the next account (an approved
    PIN ends the wait without a last tick)."""
    bar, countdown = ProgressBar("keepalive"), Countdown()
    bar(0, 2, "olle")
    countdown(42, "olle: approve on 'Olles telefon'")
    assert countdown._live is None
    assert any("keepalive · olle" in line and "0:42 left" in line for line in lines(terminal)), lines(terminal)
    bar(1, 2, "lars")
    assert not any("lars" in line and " left" in line for line in lines(terminal))
