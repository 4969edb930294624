"""Issue 22, tables at the command line, in process and without a browser: `--columns` chooses and
orders a table's columns and an unknown one is a usage error (exit 2) before anything runs; `-o wide`
is `--wide`; history and holds say UTC and how long ago; a hold's text says each thing once."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from automation.config import identity_of
from automation.errors import AccountHeldError
from automation.holds import check_hold, hold_summary
from automation.ledger import Hold, Ledger
from automation.vocabulary import HoldKind
from flows.cli.main import main
from tests.helpers import PASSWORD_USER, password_env, traces_account

ACCOUNTS = f"""
[accounts.lars]
email = "{PASSWORD_USER}"
password_env = "{password_env(PASSWORD_USER)}"
factor = "password"
"""
LONG_REASON = "EU Login rejected the password " + "and said a great deal more about it " * 6


@pytest.fixture
def accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "accounts.toml"
    path.write_text(ACCOUNTS)
    monkeypatch.setenv(password_env(PASSWORD_USER), "Lars-Losen-2025!")
    return path


@pytest.fixture(autouse=True)
def tables_cut_again() -> Iterator[None]:
    """`--wide` is the process's setting once a command ran with it: the next test starts without."""
    yield
    from automation.terminal import set_full_width

    set_full_width(False)


def held_an_hour_ago() -> None:
    Ledger.in_home(Path(os.environ["TRACESCTL_HOME"])).place_hold(
        identity_of(PASSWORD_USER), LONG_REASON, datetime.now(UTC) - timedelta(hours=1, minutes=5), "refused", "lars")


@pytest.mark.parametrize("command", [["keepalive"], ["accounts", "status"], ["accounts", "history"],
                                     ["accounts", "holds"], ["approve", "--policy", "policy.toml"]])
def test_an_unknown_column_is_a_usage_error_before_anything_runs(
    accounts: Path, no_browser: None, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main(["--accounts", str(accounts), *command, "--columns", "colour"]) == 2
    err = capsys.readouterr().err
    assert "no column 'colour'" in err and "the columns are: " in err, err


def test_columns_choose_and_order_the_holds_table_and_times_say_utc_and_how_long_ago(
    accounts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    held_an_hour_ago()
    assert main(["--accounts", str(accounts), "accounts", "holds", "--columns", "kind,placed,account"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["kind", "placed", "account"]
    assert re.fullmatch(r"refused +20\d\d-\d\d-\d\d \d\d:\d\d UTC, 1 h ago +lars", lines[2]), lines[2]


def test_o_wide_keeps_the_reason_whole_on_a_narrow_terminal(
    accounts: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    held_an_hour_ago()
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback: os.terminal_size((100, 24)))
    assert main(["--accounts", str(accounts), "accounts", "holds"]) == 0
    cut = capsys.readouterr().out
    assert max(len(line) for line in cut.splitlines()) <= 100 and "…" in cut
    for wide in (["-o", "wide"], ["--output=wide"], ["--wide"]):
        assert main(["--accounts", str(accounts), *wide, "accounts", "holds"]) == 0
        assert LONG_REASON.strip() in capsys.readouterr().out, wide


# The reasons as the toolkit writes them (automation/pages/traces/status.py, automation/attempts.py,
# a refusal's message, reset-password's hand-over).
REASONS = {
    HoldKind.REFUSED: "EU Login rejected the password",
    HoldKind.UNCONFIRMED: "a password was posted and EU Login's answer was not recognised (Oops); check the account",
    HoldKind.INACTIVE: "inactive: lars@x.se has not used TRACES for more than 4 months; ask the authority",
    HoldKind.SUSPENDED: "suspended: ask an administrator of the operator to unsuspend the user",
    HoldKind.RESET: "store the new password where the account reads it",
}


def repeated_words(text: str) -> list[str]:
    words = re.findall(r"[a-z]+", text.casefold())
    return [a for a, b in zip(words, words[1:], strict=False) if a == b]


@pytest.mark.parametrize("kind", list(HoldKind))
def test_a_holds_text_says_its_kind_once_and_repeats_no_word(kind: HoldKind, tmp_path: Path) -> None:
    """The tables' hold column, keep-alive's held row and the refusal a held account's command ends with."""
    hold = Hold("lars", REASONS[kind], datetime(2026, 12, 1, tzinfo=UTC), kind)
    summary = hold_summary(hold)
    assert summary.casefold().count(str(kind)) == 1 and repeated_words(summary) == [], summary

    class HeldLedger:
        def hold(self, _identity: str, _name: str) -> Hold:
            return hold

    account = traces_account(PASSWORD_USER, "en", tmp_path)
    try:
        check_hold(HeldLedger(), account)  # type: ignore[arg-type]
    except AccountHeldError as error:
        message = str(error)
        assert message.casefold().count(f"({kind})") <= 1 and repeated_words(message) == [], message
