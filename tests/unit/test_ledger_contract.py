"""The ledger's contract, on both of its backends: every public method of automation.ledger.Ledger
gives the same answers on SQLite and on PostgreSQL. Because this holds here, the end-to-end flows
run on SQLite, and only the tests whose behaviour rests on how a backend commits, locks or recovers
from a kill run on both (tests/postgres.py: ON_BOTH_LEDGERS)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from automation.config import Settings
from automation.ledger import ACCEPTED_BY, SUPERSEDED, Hold, Ledger, SignInRecord
from automation.vocabulary import FactorKind, HoldKind
from tests.postgres import PostgresServer

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
ANNA, ERIK = "anna@vaxtexport.se", "erik@grontexport.se"


@pytest.fixture(params=["sqlite", "postgres"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    """A new, empty ledger: an SQLite file in the test's folder, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        opened = Ledger.in_home(tmp_path)
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        opened = Ledger(database_url=server.new_database())
    yield opened
    opened.close()


def signin(account: str, at: datetime, outcome: str = "ok", duration_s: float = 1.234) -> SignInRecord:
    return SignInRecord(at, account, FactorKind.PASSKEY, outcome, f"{outcome} detail", duration_s)


def test_sign_ins_read_back_as_written_in_order_and_by_account(ledger: Ledger) -> None:
    """Sign-ins keep their order, their time zone and a duration of three decimals; last_success is
    the latest ok one."""
    records = [signin("anna", T0), signin("erik", T0 + timedelta(hours=1), "refused"),
               signin("anna", T0 + timedelta(days=1), duration_s=0.1),
               signin("anna", T0 + timedelta(days=2), "timeout")]
    for record in records:
        ledger.record_signin(record)
    assert ledger.signins() == records
    assert ledger.signins("anna") == [records[0], records[2], records[3]]
    assert ledger.signins("nobody") == []
    assert ledger.last_success("anna") == T0 + timedelta(days=1)
    assert ledger.last_success("erik") is None
    assert ledger.signins("anna")[0].at.tzinfo is not None


def test_a_hold_keeps_its_first_reason_until_released_once(ledger: Ledger) -> None:
    """place_hold holds an identity once (a second reason does not replace the first); release_hold
    answers True once, then False; the hold is gone after it."""
    ledger.place_hold(ANNA, "the password was refused", T0, account="anna")
    ledger.place_hold(ANNA, "another reason", T0 + timedelta(hours=1), HoldKind.INACTIVE, account="anna")
    assert ledger.hold(ANNA) == Hold("anna", "the password was refused", T0, HoldKind.REFUSED)
    assert ledger.hold(ERIK) is None
    assert ledger.release_hold(ANNA, T0 + timedelta(days=1), by="ops")
    assert not ledger.release_hold(ANNA, T0 + timedelta(days=1), by="ops")
    assert ledger.hold(ANNA) is None
    with pytest.raises(ValueError, match="unknown hold kind"):
        ledger.place_hold(ERIK, "why", T0, "no such kind")  # type: ignore[arg-type]


def test_release_by_kind_leaves_a_hold_of_another_kind(ledger: Ledger) -> None:
    """release_hold with `kinds` releases only a hold of those kinds."""
    ledger.place_hold(ANNA, "inactive since then", T0, HoldKind.INACTIVE)
    assert not ledger.release_hold(ANNA, T0, by="run", kinds=(HoldKind.REFUSED,))
    assert ledger.hold(ANNA) is not None and ledger.hold(ANNA).kind == HoldKind.INACTIVE  # type: ignore[union-attr]
    assert ledger.release_hold(ANNA, T0, by="run", kinds=(HoldKind.INACTIVE, HoldKind.SUSPENDED))


def test_only_an_inactive_or_suspended_hold_is_acknowledged(ledger: Ledger) -> None:
    """acknowledge_hold marks an inactive hold (it still holds) and refuses a refused one."""
    ledger.place_hold(ANNA, "inactive", T0, HoldKind.INACTIVE)
    ledger.place_hold(ERIK, "refused", T0, HoldKind.REFUSED)
    assert ledger.acknowledge_hold(ANNA, T0 + timedelta(hours=1), by="ops")
    assert not ledger.acknowledge_hold(ERIK, T0 + timedelta(hours=1), by="ops")
    assert not ledger.acknowledge_hold("nobody@example.com", T0, by="ops")
    held = ledger.hold(ANNA)
    assert held is not None and (held.kind, held.acknowledged_by) == (HoldKind.INACTIVE, "ops")
    assert ledger.hold(ERIK) is not None and ledger.hold(ERIK).acknowledged_by is None  # type: ignore[union-attr]


def test_an_attempt_is_an_unconfirmed_hold_until_its_answer_is_known(ledger: Ledger) -> None:
    """begin_attempt writes an unconfirmed hold and refuses a second attempt while it stands (unless the
    hold is ignored: then that hold is the attempt's); settle_attempt turns it refused; release_attempt
    ends it once."""
    first = ledger.begin_attempt(ANNA, "anna", T0, "posting the password")
    assert first is not None
    assert ledger.hold(ANNA) == Hold("anna", "posting the password", T0, HoldKind.UNCONFIRMED)
    assert ledger.begin_attempt(ANNA, "anna-2", T0 + timedelta(minutes=1), "again") is None
    assert ledger.begin_attempt(ANNA, "anna", T0, "a person's choice", ignore_hold=True) == first

    ledger.settle_attempt(first, HoldKind.REFUSED, "EU Login refused the password")
    assert ledger.hold(ANNA) == Hold("anna", "EU Login refused the password", T0, HoldKind.REFUSED)
    with pytest.raises(ValueError, match="refused or unconfirmed"):
        ledger.settle_attempt(first, HoldKind.INACTIVE, "not an attempt's answer")

    assert ledger.release_attempt(first, T0 + timedelta(hours=1), by=ACCEPTED_BY)
    assert not ledger.release_attempt(first, T0 + timedelta(hours=2), by=ACCEPTED_BY)
    assert ledger.hold(ANNA) is None
    second = ledger.begin_attempt(ANNA, "anna", T0 + timedelta(hours=3), "the next run")
    assert second is not None and second != first


def test_an_attempt_supersedes_an_inactive_hold(ledger: Ledger) -> None:
    """An inactive hold gives way to an attempt (the sign-in's outcome says again whether it holds):
    it is released as superseded, and the attempt's unconfirmed hold stands."""
    ledger.place_hold(ANNA, "inactive", T0, HoldKind.INACTIVE)
    attempt = ledger.begin_attempt(ANNA, "anna", T0 + timedelta(hours=1), "posting")
    assert attempt is not None
    assert ledger.hold(ANNA) == Hold("anna", "posting", T0 + timedelta(hours=1), HoldKind.UNCONFIRMED)
    events = ledger.hold_events()
    assert [(e.kind, e.released_by) for e in events] == [(HoldKind.INACTIVE, SUPERSEDED), (HoldKind.UNCONFIRMED, None)]


def test_hold_events_leave_out_confirmed_attempts_unless_asked_and_honour_since(ledger: Ledger) -> None:
    """hold_events lists holds oldest first; an attempt its success released is left out unless
    include_confirmed; `since` drops older holds."""
    confirmed = ledger.begin_attempt(ANNA, "anna", T0, "posting")
    assert confirmed is not None and ledger.release_attempt(confirmed, T0 + timedelta(seconds=5), by=ACCEPTED_BY)
    ledger.place_hold(ERIK, "suspended by the administrator", T0 + timedelta(days=1), HoldKind.SUSPENDED, "erik")
    events = ledger.hold_events()
    assert [(e.account, e.identity, e.kind, e.reason, e.placed_at, e.released_at) for e in events] == [
        ("erik", ERIK, HoldKind.SUSPENDED, "suspended by the administrator", T0 + timedelta(days=1), None)]
    every = ledger.hold_events(include_confirmed=True)
    assert [(e.identity, e.released_at, e.released_by) for e in every] == [
        (ANNA, T0 + timedelta(seconds=5), ACCEPTED_BY), (ERIK, None, None)]
    assert [e.identity for e in ledger.hold_events(since=T0 + timedelta(hours=1), include_confirmed=True)] == [ERIK]


def test_a_legacy_hold_is_found_by_account_name_and_adopted_by_identity(ledger: Ledger) -> None:
    """A hold written before holds had an identity (schema version 3) holds its account name; adopt_identities
    gives it the identity, after which every name of the e-mail finds it."""
    with ledger._transaction() as db:  # a row as a version-2 tracesctl wrote it: no identity
        db.execute("INSERT INTO holds (account, reason, placed_at) VALUES (?, ?, ?)",
                   ("anna", "refused before identities", T0.isoformat()))
    assert ledger.hold(ANNA, account="anna") is not None
    assert ledger.hold(ANNA, account="anna-2") is None
    assert ledger.adopt_identities({"erik": ERIK}) == 0
    assert ledger.adopt_identities({"anna": ANNA}) == 1
    assert ledger.adopt_identities({"anna": ANNA}) == 0
    held = ledger.hold(ANNA, account="anna-2")
    assert held is not None and (held.account, held.kind) == ("anna", HoldKind.REFUSED)


def test_an_intent_is_one_row_completed_once(ledger: Ledger) -> None:
    """open_intent writes the row before a submission and reuses an open one for the same action;
    complete sets its outcome once; the trail reads it back with its plan."""
    before = datetime.now(UTC) - timedelta(seconds=1)
    intent = ledger.open_intent("anna", "SE-OP-1", ERIK, "approve", plan=("digest", "planner", "applier"))
    assert ledger.open_intent("anna", "SE-OP-1", ERIK, "approve") == intent
    assert ledger.unconfirmed_intent("SE-OP-1", ERIK, "approve") == intent
    assert ledger.unconfirmed_intent("SE-OP-1", ERIK, "make-admin") is None
    other = ledger.open_intent("anna", "SE-OP-1", ERIK, "make-admin")
    assert ledger.unconfirmed_intents("anna", ("approve", "make-admin")) == [
        (intent, "SE-OP-1", ERIK, "approve"), (other, "SE-OP-1", ERIK, "make-admin")]
    assert ledger.unconfirmed_intents("anna", ("unsuspend",)) == []

    assert not ledger.done_by_plan("digest", ERIK, "approve")
    ledger.complete(intent, "verified", "checked after saving")
    ledger.complete(intent, "failed", "a second answer does not rewrite the first")
    assert ledger.unconfirmed_intent("SE-OP-1", ERIK, "approve") is None
    assert ledger.done_by_plan("digest", ERIK, "approve")
    assert not ledger.done_by_plan("another digest", ERIK, "approve")

    trail = ledger.audit_trail()
    assert [(r.action, r.outcome, r.detail, r.plan, r.planned_by, r.applied_by) for r in trail] == [
        ("approve", "verified", "checked after saving", "digest", "planner", "applier"),
        ("make-admin", "intent", "", "", "", "")]
    assert all(r.at >= before and r.at.tzinfo is not None for r in trail)


def test_audit_rows_keep_their_time_and_since_filters_them(ledger: Ledger) -> None:
    """audit writes a finished row at the time given; audit_trail(since) leaves out older rows."""
    ledger.audit("anna", "SE-OP-1", ERIK, "unsuspend", "verified", "done", at=T0)
    ledger.audit("anna", "SE-OP-1", ANNA, "approve", "not-verified", "the check was not saved",
                 at=T0 + timedelta(days=1))
    assert [(r.at, r.target, r.outcome) for r in ledger.audit_trail()] == [
        (T0, ERIK, "verified"), (T0 + timedelta(days=1), ANNA, "not-verified")]
    assert [r.target for r in ledger.audit_trail(since=T0 + timedelta(hours=1))] == [ANNA]


def test_a_ledger_opened_again_reads_what_was_written_and_is_intact(ledger: Ledger, tmp_path: Path) -> None:
    """What one Ledger wrote, another opened on the same file or database reads; both say intact."""
    ledger.record_signin(signin("anna", T0))
    ledger.place_hold(ERIK, "refused", T0)
    settings = replace(Settings(), home=tmp_path, database_url=ledger.database_url)
    again = Ledger.open(settings)
    try:
        assert again.dialect == ledger.dialect
        assert again.signins() == [signin("anna", T0)]
        assert again.hold(ERIK) is not None
        assert again.integrity_ok() and ledger.integrity_ok()
    finally:
        again.close()


def test_looking_without_a_ledger_creates_nothing(tmp_path: Path) -> None:
    """for_reading with no ledger yet answers an empty one in memory, and writes no file."""
    home = tmp_path / "home"
    empty = Ledger.for_reading(replace(Settings(), home=home))
    try:
        assert empty.signins() == [] and empty.hold(ANNA) is None and empty.audit_trail() == []
    finally:
        empty.close()
    assert not home.exists()
