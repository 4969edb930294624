"""One typed vocabulary (issue 21 §3): FactorKind and HoldKind are StrEnums, so the accounts file,
the ledger, JSON and tables keep the words they always had, with one spelling per factor."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from automation.config import FACTORS, AccountConfig, Settings, load_accounts
from automation.errors import AccountsFileError
from automation.factors.app import AppPin, AppQrCode
from automation.factors.passkey import Passkey
from automation.factors.password import PasswordOnly
from automation.holds import HOLD_EXIT_CODES, HOLDING_ERRORS
from automation.ledger import HOLD_KINDS, Ledger, SignInRecord
from automation.pages.eulogin.password import METHOD_OPTIONS, METHOD_STRENGTHS
from automation.vocabulary import FactorKind, HoldKind

T0 = datetime(2026, 1, 5, tzinfo=UTC)


def test_the_kinds_are_their_words_in_json_toml_and_text() -> None:
    """A member equals, prints and serialises as the word written before the enums existed."""
    assert FactorKind.APP_QR == "app-qr" and f"{FactorKind.APP_PIN}" == "app-pin" and str(HoldKind.RESET) == "reset"
    assert json.dumps({"method": FactorKind.APP_QR, "kind": HoldKind.UNCONFIRMED}) == \
        '{"method": "app-qr", "kind": "unconfirmed"}'
    assert tomllib.loads(f'factor = "{FactorKind.PASSKEY}"') == {"factor": "passkey"}


def test_the_accounts_file_the_ledger_and_the_holds_share_the_words() -> None:
    """The accounts file's factors, the ledger's hold kinds and the holds' exit codes are the enums."""
    assert FACTORS == ("password", "passkey", "app-qr", "app-pin")
    assert HOLD_KINDS == ("refused", "unconfirmed", "inactive", "suspended", "reset")
    assert set(HOLD_EXIT_CODES) == set(HoldKind)
    assert {kind for _, kind in HOLDING_ERRORS} <= set(HoldKind)


def test_every_factor_names_its_method_as_the_accounts_file_does() -> None:
    """The factor classes' `method` (what `login --json` prints) is the account's factor; it was
    app_qr and app_pin, spelt unlike the accounts file."""
    methods = {cls.method for cls in (PasswordOnly, Passkey, AppQrCode, AppPin)}
    assert methods == set(FactorKind)
    assert set(METHOD_STRENGTHS) == set(METHOD_OPTIONS) == set(FactorKind)


def test_an_account_given_a_factor_as_a_string_holds_the_enum() -> None:
    """factor="passkey" (a test's, a plugin user's) becomes FactorKind.PASSKEY; a spelling the accounts
    file does not know fails when the account is built, not at the sign-in."""
    account = AccountConfig(name="a", email="a@b.se", password_env="PW", factor="passkey",  # type: ignore[arg-type]
                            locale="sv", passkey_file=Path("/nonexistent"))
    assert account.factor is FactorKind.PASSKEY
    with pytest.raises(ValueError, match="app_qr"):
        AccountConfig(name="a", email="a@b.se", password_env="PW", factor="app_qr",  # type: ignore[arg-type]
                      locale="sv", passkey_file=Path("/nonexistent"))


def test_the_accounts_file_keeps_refusing_the_underscore_spelling(tmp_path: Path) -> None:
    """`app_qr` was never accepted in the accounts file; it still is not, and the message lists the words."""
    path = tmp_path / "accounts.toml"
    path.write_text('[accounts.a]\nemail = "a@b.se"\npassword_env = "PW"\nfactor = "app_qr"\n')
    with pytest.raises(AccountsFileError, match="password, passkey, app-qr, app-pin, not 'app_qr'"):
        load_accounts(Settings(accounts_file=path, home=tmp_path / "home"))


def test_the_ledger_gives_back_the_kinds(tmp_path: Path) -> None:
    """A hold's kind and a sign-in's method come back from the ledger as the enums, equal to their words."""
    ledger = Ledger.in_home(tmp_path)
    ledger.place_hold("a@b.se", "why", T0, HoldKind.SUSPENDED, "a")
    ledger.record_signin(SignInRecord(T0, "a", FactorKind.APP_PIN, "suspended", "", 1.0))
    hold = ledger.hold("a@b.se", "a")
    assert hold is not None and hold.kind is HoldKind.SUSPENDED
    [event] = ledger.hold_events()
    assert event.kind is HoldKind.SUSPENDED
    [record] = ledger.signins("a")
    assert record.method is FactorKind.APP_PIN and record.method == "app-pin"


def test_every_outcome_type_has_a_name_of_its_own() -> None:
    """Three classes were called Outcome (the guide check's, the approvals', the command line's): an
    import could take one for another. Each class named ...Outcome in the toolkit now has its own name."""
    import ast

    root = Path(__file__).resolve().parents[2]
    names = [node.name for folder in ("automation", "flows") for path in sorted((root / folder).rglob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(), str(path)))
             if isinstance(node, ast.ClassDef) and node.name.endswith("Outcome")]
    assert len(names) >= 5 and len(names) == len(set(names)), sorted(names)
