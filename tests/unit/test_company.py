"""The company file: organisation numbers with their check digit, every field required."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.company import CompanyFileError, load_company, normalise_organisation_number

GOOD = """
name = "Grönt Export AB"
organisation_number = "5566778899"
street = "Hamngatan 1"
postal_code = "252 25"
city = "Helsingborg"
phone = "+46 42 123 45 67"
email = "info@grontexport.se"
"""


@pytest.mark.parametrize("raw", ["556677-8899", "5566778899", "556677 8899"])
def test_valid_numbers_are_normalised(raw: str) -> None:
    assert normalise_organisation_number(raw) == "556677-8899"


@pytest.mark.parametrize(("raw", "message"), [
    ("556677-8898", "check digit"), ("55667788", "ten digits"), ("556677-88AB", "ten digits"),
])
def test_invalid_numbers_are_refused(raw: str, message: str) -> None:
    with pytest.raises(CompanyFileError, match=message):
        normalise_organisation_number(raw)


def test_a_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "company.toml"
    path.write_text(GOOD)
    company = load_company(path)
    assert (company.organisation_number, company.postal_code) == ("556677-8899", "25225")


@pytest.mark.parametrize(("change", "message"), [
    (('email = "info@grontexport.se"', ""), "missing or empty: email"),
    (('city = "Helsingborg"', 'city = ""'), "missing or empty: city"),
    (('postal_code = "252 25"', 'postal_code = "2522"'), "five digits"),
    (('"5566778899"', '"5566778898"'), "check digit"),
    (('email = "info@grontexport.se"', 'email = "info"'), "not an e-mail address"),
    (("name =", "nmae ="), "missing or empty: name"),
])
def test_incomplete_or_wrong_files_are_refused(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = tmp_path / "company.toml"
    path.write_text(GOOD.replace(*change))
    with pytest.raises(CompanyFileError, match=message):
        load_company(path)
