"""Issue 22: a hold's texts say each thing once: `accounts status`'s hold cell, keep-alive's `held` row,
the refusal of a held account and `accounts holds`' kind and reason, for every kind of hold."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from automation.errors import (
    AccountHeldError,
    AccountInactiveError,
    AccountSuspendedError,
    CredentialsRejectedError,
)
from automation.holds import active_hold, check_hold, place_hold_for
from automation.ledger import Ledger
from automation.vocabulary import HoldKind
from flows.jobs.reset_password import wait_for_the_source
from tests.helpers import make_account

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ACCOUNT = make_account("ek@vaxtexport.se", "password")  # its name, "ek", is in no reason
# The reasons as the toolkit gives them (automation/pages/traces/status.py, automation/attempts.py, the password page).
UNCONFIRMED = ("a password was posted and EU Login's answer was not recognised (timeout); it may have counted as a "
               f"wrong attempt. Sign in by hand in a browser to check the account, then "
               f"`tracesctl accounts release {ACCOUNT.name}`")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def _pairs(text: str) -> set[tuple[str, str]]:
    words = _words(text)
    return set(zip(words, words[1:], strict=False))


def place(ledger: Ledger, kind: HoldKind, tmp_path: Path) -> None:
    if kind == HoldKind.REFUSED:
        place_hold_for(ledger, ACCOUNT, CredentialsRejectedError("EU Login refused the password"), lambda: T0)
    elif kind == HoldKind.INACTIVE:
        place_hold_for(ledger, ACCOUNT, AccountInactiveError(
            f"inactive: {ACCOUNT.email} has not used TRACES for more than 4 months; ask the competent authority "
            "to reactivate it"), lambda: T0)
    elif kind == HoldKind.SUSPENDED:
        place_hold_for(ledger, ACCOUNT, AccountSuspendedError(
            "suspended: ask an administrator of the operator to unsuspend the user"), lambda: T0)
    elif kind == HoldKind.UNCONFIRMED:
        ledger.place_hold(ACCOUNT.identity, UNCONFIRMED, T0, kind, ACCOUNT.name)
    else:
        wait_for_the_source(ledger, ACCOUNT, tmp_path / "handover")


def texts(ledger: Ledger) -> Iterator[str]:
    """Every text that shows the hold, the label and the reason together: `accounts status`'s cell, the
    refusal of a held account, then keep-alive's `held` row and `accounts holds`' kind and reason."""
    from flows.jobs.keepalive import account_status

    hold = active_hold(ledger, ACCOUNT)
    assert hold is not None
    yield account_status(ledger, [ACCOUNT], T0)[0].hold or ""
    try:
        check_hold(ledger, ACCOUNT)
    except AccountHeldError as refusal:
        yield str(refusal)
    from automation.holds import held_detail, hold_reason

    yield held_detail(hold, ACCOUNT)
    yield f"{hold.kind}  {hold_reason(hold)}"


@pytest.mark.parametrize("kind", list(HoldKind))
def test_a_hold_says_each_thing_once(kind: HoldKind, tmp_path: Path) -> None:
    """No word right after itself ("inactive: inactive:"), and no two words of the reason said again
    around it ("waits for its new password: store the new password", the release command twice)."""
    ledger = Ledger.in_home(tmp_path)
    place(ledger, kind, tmp_path)
    hold = active_hold(ledger, ACCOUNT)
    assert hold is not None and hold.kind == kind
    reason = re.sub(rf"^{kind}:\s*", "", hold.reason)  # the reason, whether or not it was stored with its label
    for text in texts(ledger):
        words = _words(text)
        assert not [w for w, after in zip(words, words[1:], strict=False) if w == after], text
        assert reason in text, text
        label = text.replace(reason, " | ")
        assert not _pairs(label) & _pairs(reason), text
        assert _words(reason)[0] != kind, text  # the reason does not start with the kind it follows
