"""Issue 24 §3: text from the portal is escaped before it reaches a terminal: an escape sequence,
a C1 control, a bidirectional override or a zero-width character is shown, never obeyed."""

from __future__ import annotations

import io
import json
import unicodedata

import pytest
import structlog
from hypothesis import given, settings
from hypothesis import strategies as st

from automation import log
from automation.errors import CredentialsRejectedError
from automation.terminal import json_shown, shown
from flows.cli.output import SharedOptions
from flows.cli.run import run_command
from flows.reports.keepalive import table

HOSTILE = "Fel\x1b]0;owned\x07\x1b[2J\x9b31m\u202eetad\u200b\x00\r\nnext"


def obeyable(text: str) -> set[str]:
    """The characters a terminal would act on or hide."""
    return {c for c in text if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"}}


@pytest.mark.parametrize("log_format", ["console", "json"])
def test_a_portal_message_in_an_error_line_is_shown_not_obeyed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, log_format: str
) -> None:
    """On a terminal the line escapes what a terminal would obey; as a JSON line (for a program)
    JSON's own escaping does, bidi characters included."""
    def refused(_settings: object) -> int:
        raise CredentialsRejectedError(f"EU Login said: {HOSTILE}")

    monkeypatch.setenv("TRACESCTL_LOG_FORMAT", log_format)
    assert run_command(refused, SharedOptions()) == 3
    err = capsys.readouterr().err
    assert err.endswith("\n") and obeyable(err[:-1]) == set(), repr(err)
    if log_format == "console":
        assert "\\x1b]0;owned\\x07\\x1b[2J" in err and "\\u202e" in err and "\\r\\nnext" in err
    else:
        assert json.loads(err)["event"] == f"error: EU Login said: {HOSTILE}"


def test_table_cells_are_shown_on_one_line() -> None:
    rendered = table(("account", "detail"), [("lars", HOSTILE)])
    assert obeyable(rendered) == {"\n"} and len(rendered.splitlines()) == 3


def test_console_log_lines_show_escape_sequences(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    log.configure("console", "info", stream=out, colors=False)
    structlog.get_logger().info("portal answered", message=HOSTILE)
    assert obeyable(out.getvalue().rstrip("\n")) == set(), repr(out.getvalue())
    assert "\\x1b[2J" in out.getvalue()


CONTROL = st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"])  # incl. NUL, ESC, bidi, zero-width


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.one_of(CONTROL, st.characters(codec="utf-8")), max_size=40))
def test_shown_text_has_nothing_a_terminal_obeys(text: str) -> None:
    assert obeyable(shown(text)) == set()


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.text(alphabet=st.one_of(CONTROL, st.characters(codec="utf-8")), max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                  max_size=3), max_leaves=6))
def test_json_for_a_terminal_reads_back_the_same(value: object) -> None:
    document = json_shown(json.dumps(value, ensure_ascii=False))
    assert obeyable(document.replace("\n", "")) == set()
    assert json.loads(document) == value
