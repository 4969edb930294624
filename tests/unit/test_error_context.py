"""Errors about an account carry it as fields (issue 21 §3), as httpx's errors carry their request:
`account` and `identity`, keyword-only, set where raised or by `about_account`; messages unchanged."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime
from pathlib import Path

import pytest

from automation.attempts import PasswordAttempt
from automation.config import AccountConfig, Settings, load_accounts_each, select_accounts
from automation.errors import (
    AccountHeldError,
    AttemptUnconfirmedError,
    CredentialsRejectedError,
    ExitCode,
    LedgerWriteError,
    UnknownAccountError,
    about_account,
)
from automation.holds import check_hold
from automation.ledger import Ledger
from automation.vocabulary import FactorKind, HoldKind

T0 = datetime(2026, 1, 5, tzinfo=UTC)
ACCOUNT = AccountConfig(name="lars", email="lars@b.se", password_env="PW", factor=FactorKind.PASSWORD,
                        locale="sv", passkey_file=Path("/nonexistent"))


def test_an_error_names_no_account_unless_told() -> None:
    """The fields default to None; given by keyword, they leave the message as it was."""
    error = CredentialsRejectedError("EU Login rejected the password")
    assert (error.account, error.identity, str(error)) == (None, None, "EU Login rejected the password")
    told = AttemptUnconfirmedError("lars@b.se: unknown answer", account="lars", identity="lars@b.se")
    assert (told.account, told.identity, str(told), told.args) == \
        ("lars", "lars@b.se", "lars@b.se: unknown answer", ("lars@b.se: unknown answer",))


def test_about_account_fills_in_only_what_the_raiser_did_not_know() -> None:
    """A page object's refusal gets the account; an error naming its own account keeps it."""
    with pytest.raises(CredentialsRejectedError) as refused, about_account("lars", "lars@b.se"):
        raise CredentialsRejectedError("EU Login rejected the password")
    assert (refused.value.account, refused.value.identity) == ("lars", "lars@b.se")
    with pytest.raises(AccountHeldError) as held, about_account("outer", "outer@b.se"):
        raise AccountHeldError("held", HoldKind.REFUSED, account="lars", identity="lars@b.se")
    assert (held.value.account, held.value.identity) == ("lars", "lars@b.se")


def test_the_fields_survive_pickling() -> None:
    """What a keep-alive worker process could send its parent keeps its context and its exit code."""
    error = pickle.loads(pickle.dumps(AccountHeldError("held", HoldKind.UNCONFIRMED, account="lars",
                                                       identity="lars@b.se")))
    assert (error.account, error.identity, error.kind, error.exit_code) == \
        ("lars", "lars@b.se", HoldKind.UNCONFIRMED, ExitCode.UNCONFIRMED)


def test_a_hold_names_the_account_and_identity_it_stops(tmp_path: Path) -> None:
    ledger = Ledger.in_home(tmp_path)
    ledger.place_hold(ACCOUNT.identity, "EU Login rejected the password", T0, HoldKind.REFUSED, "lars")
    with pytest.raises(AccountHeldError) as held:
        check_hold(ledger, ACCOUNT)
    assert (held.value.account, held.value.identity, held.value.kind) == ("lars", "lars@b.se", HoldKind.REFUSED)


def test_a_ledger_that_cannot_record_the_attempt_names_the_account(tmp_path: Path) -> None:
    ledger = Ledger.in_home(tmp_path)
    ledger.close()  # closed: the intent cannot be written
    with pytest.raises(LedgerWriteError) as unwritable:
        PasswordAttempt(ledger, ACCOUNT).begin()
    assert (unwritable.value.account, unwritable.value.identity) == ("lars", "lars@b.se")


def test_the_accounts_file_s_errors_name_their_account(tmp_path: Path) -> None:
    """A bad table's error and an unknown name carry the account they are about."""
    path = tmp_path / "accounts.toml"
    path.write_text('[accounts.good]\nemail = "g@b.se"\npassword_env = "PW"\n'
                    '[accounts.bad]\nemail = "not an address"\npassword_env = "PW"\n')
    accounts, problems = load_accounts_each(Settings(accounts_file=path, home=tmp_path / "home"))
    assert problems["bad"].account == "bad" and "'bad'" in str(problems["bad"])
    with pytest.raises(UnknownAccountError) as unknown:
        select_accounts(accounts, ["nobody"])
    assert unknown.value.account == "nobody"
