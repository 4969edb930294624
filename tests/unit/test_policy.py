"""The approval policy: e-mails, domains, a CSV; everything else refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.policy import PolicyFileError, load_policy


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text)
    return path


def test_emails_domains_and_csv_are_combined(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text("name,email\nIda,Ida@Example.se\n")
    policy = load_policy(write(tmp_path, '[approve]\nemails = ["a@b.se"]\ndomains = ["@grontexport.se"]\n'
                                         'csv = "people.csv"\n[administrators]\nemails = ["a@b.se"]\n'))
    assert policy.approves("A@B.se") and policy.approves("ida@example.se") and policy.approves("x@grontexport.se")
    assert not policy.approves("x@konsult.example.com")
    assert policy.administrators == {"a@b.se"} and policy.in_scope("anything")


@pytest.mark.parametrize(("text", "message"), [
    ("[approve\n", "cannot be read"),
    ("[aprove]\nemails = []\n", "unknown section"),
    ('[approve]\nemail = ["a@b.se"]\n', "unknown key"),
    ('[approve]\nemails = ["not-an-email"]\n', "not e-mail addresses"),
    ('[approve]\ndomains = ["nodot"]\n', "must be domains"),
    ('[approve]\ncsv = "missing.csv"\n', "not found"),
    ('[approve]\nemails = "a@b.se"\n', "must be a list"),
])
def test_bad_policies_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PolicyFileError, match=message):
        load_policy(write(tmp_path, text))
