"""Issue 22: tables fit the terminal (the last column cut with "…"), `--wide` (or `-o wide`) keeps every
cell, a pipe gets everything, `--columns` chooses; times say UTC and how long ago or how soon."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from automation import terminal
from flows.reports.table import APPROVE_COLUMNS, HISTORY_COLUMNS, chosen_columns, table, when

ROWS = [("lars", "ok", "signed in to TRACES and out again, and the portal said a great deal more than that")]


def test_the_detail_column_is_cut_to_the_width() -> None:
    lines = table(("account", "outcome", "detail"), ROWS, width=60).splitlines()
    assert all(len(line) <= 60 for line in lines) and lines[2].endswith("\u2026")
    assert lines[2].startswith("lars     ok       signed in to TRACES")


def test_a_table_that_fits_is_left_whole() -> None:
    assert "more than that" in table(("account", "outcome", "detail"), ROWS, width=200)


def test_off_a_terminal_or_wide_nothing_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal.set_full_width(False)  # whatever a command run in this process before left
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback: type("Size", (), {"columns": 50})())
    assert terminal.fit_width() == 50
    assert table(("account", "outcome", "detail"), ROWS).splitlines()[2].endswith("\u2026")
    terminal.set_full_width(True)
    try:
        assert terminal.fit_width() is None and "more than that" in table(("account", "outcome", "detail"), ROWS)
    finally:
        terminal.set_full_width(False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    assert terminal.fit_width() is None


def test_times_say_utc_and_how_long_ago() -> None:
    now = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
    assert when(now - timedelta(days=3, hours=2), now) == "2026-11-29 12:00 UTC, 3 d ago"
    assert when(now - timedelta(minutes=5), now) == "2026-12-02 13:55 UTC, 5 min ago"
    assert when(None, now) == "never"


def test_times_to_come_say_how_soon() -> None:
    now = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
    assert when(now + timedelta(days=12, hours=1), now) == "2026-12-14 15:00 UTC, in 12 d"
    assert when(None, now, missing="still held") == "still held"


def test_columns_are_chosen_by_their_headers_in_any_spelling_and_order() -> None:
    assert chosen_columns("Outcome,WHEN,detail", HISTORY_COLUMNS) == ("outcome", "when", "detail")
    assert chosen_columns(" last-success , account", ("account", "last success")) == ("last success", "account")
    rendered = table(APPROVE_COLUMNS, [("erik@x.se", "Erik", "X AB", "approve", "approved")], width=200,
                     columns=("decision", "user")).splitlines()
    assert rendered[0].split() == ["decision", "user"] and rendered[2].split() == ["approve", "erik@x.se"]


@pytest.mark.parametrize("words", ["account,nope", "account,account", ""])
def test_an_unknown_or_repeated_column_is_refused_naming_the_columns(words: str) -> None:
    with pytest.raises(ValueError, match="column"):
        chosen_columns(words, HISTORY_COLUMNS)
