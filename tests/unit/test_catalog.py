"""The locator catalogue: complete in both locales, data only, independent of the offline portal."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.catalog import Catalog, CatalogError, selectors_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_every_entry_resolves_in_both_locales(locale: str) -> None:
    """Each entry has exactly one kind and a text for the locale."""
    catalog = Catalog(locale)
    assert len(catalog.keys()) > 40
    for key in catalog.keys():
        entry = catalog.entry(key)
        assert entry.value, key


def test_swedish_labels_are_the_guides() -> None:
    """The guide's Swedish labels: "Logga in" (C1, H1), "Mitt konto" (B2)."""
    sv = Catalog("sv")
    assert sv.text("traces.entry.log_in") == "Logga in"
    assert sv.text("eulogin.header.my_account") == "Mitt konto"
    assert Catalog("en").text("traces.entry.log_in") == "Log into Traces"


def test_placeholders_are_filled() -> None:
    assert Catalog("en").text("traces.home.user_email", email="a@b.se") == "a@b.se"


def test_unknown_keys_and_locales_are_errors() -> None:
    with pytest.raises(CatalogError, match="no catalogue entry"):
        Catalog("sv").entry("traces.nothing")
    with pytest.raises(CatalogError, match="no 'de' text"):
        Catalog("de").entry("traces.entry.log_in")


def test_selectors_is_data_only() -> None:
    """selectors/ must never become a package: it would shadow the standard library's selectors."""
    assert selectors_dir() == ROOT / "selectors" or selectors_dir().name == "selectors"
    assert not (ROOT / "selectors" / "__init__.py").exists()
    assert {p.suffix for p in (ROOT / "selectors").iterdir()} == {".toml"}


def test_the_offline_portal_does_not_read_the_catalogue() -> None:
    """The stub's labels come from its own templates, never from selectors/ (no self-confirmation)."""
    for path in (ROOT / "automation" / "stub").rglob("*.py"):
        text = path.read_text()
        for use in ("automation.catalog", "selectors_dir", '"selectors"', "'selectors'", ".toml"):
            assert use not in text, f"{path} uses {use}"
