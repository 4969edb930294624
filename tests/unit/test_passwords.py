"""EU Login's password rule and the generator; passwords read from 0600 files."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.config import AccountConfig
from automation.errors import MissingSettingError
from automation.passwords import generate_password, meets_rule


@pytest.mark.parametrize(("password", "ok"), [
    ("Abcdefgh1!", True), ("Abcdefg1!", False), ("abcdefgh1!", False), ("ABCDEFGH1!", False),
    ("Abcdefghi!", False), ("Abcdefghi1", False),
])
def test_the_rule(password: str, ok: bool) -> None:
    assert meets_rule(password) is ok


def test_generated_passwords_meet_the_rule_and_differ() -> None:
    passwords = {generate_password().reveal() for _ in range(50)}
    assert len(passwords) == 50 and all(meets_rule(p) for p in passwords)


def test_a_password_file_must_be_private(tmp_path: Path) -> None:
    path = tmp_path / "pw.txt"
    path.write_text("Abcdefgh1!\n")
    account = AccountConfig("a", "a@b.se", "", "password", "sv", tmp_path / "k.json", password_file=path)
    path.chmod(0o600)
    assert account.password({}).reveal() == "Abcdefgh1!"
    path.chmod(0o644)
    with pytest.raises(MissingSettingError, match="readable by others"):
        account.password({})
