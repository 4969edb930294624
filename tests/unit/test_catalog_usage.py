"""The catalogue and the code agree: every entry is used, every key the code names exists in both
languages, each key is written down once (a page object's constant), and every label the guide
check asks a page object about is one that page object declares."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from automation.catalog import Catalog
from automation.guide import default_guide, load_guide
from flows.jobs.guide_check import SCREENS

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"^(eulogin|traces)\.[a-z_]+(\.[a-z_0-9]+)+$")


def keys_in_code(packages: tuple[str, ...] = ("automation", "flows")) -> Counter[str]:
    """Catalogue keys written as string literals in the toolkit (the offline portal has its own labels)."""
    found: Counter[str] = Counter()
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            if "stub" in path.relative_to(ROOT).parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY.match(node.value):
                    found[node.value] += 1
    return found


def keys_in_guides() -> set[str]:
    guide = load_guide(default_guide())
    return {label.catalog for step in guide.steps for label in step.labels if label.catalog}


def test_every_catalogue_entry_is_used_by_the_code() -> None:
    used = set(keys_in_code())
    unused = sorted(set(Catalog("sv").keys()) - used)
    assert unused == [], f"catalogue entries nothing uses (remove them): {unused}"


@pytest.mark.parametrize("locale", ["sv", "en"])
def test_every_key_the_code_and_the_guide_name_is_in_the_catalogue(locale: str) -> None:
    catalog = Catalog(locale)
    for key in sorted(set(keys_in_code()) | keys_in_guides()):
        catalog.entry(key)  # raises CatalogError when the key or its text in `locale` is missing


def test_each_key_is_written_once() -> None:
    repeated = {key: n for key, n in keys_in_code().items() if n > 1}
    assert repeated == {}, f"catalogue keys written more than once (use the page object's constant): {repeated}"


def test_flows_hold_no_catalogue_keys() -> None:
    """Page objects hold every locator; flows call them (architecture.md)."""
    assert keys_in_code(("flows",)) == Counter()


def test_the_guide_asks_each_screen_only_about_what_its_page_object_declares() -> None:
    guide = load_guide(default_guide())
    for step in guide.steps:
        for label in step.labels:
            screen = label.screen or step.screen
            if label.catalog and screen in SCREENS:
                assert label.catalog in SCREENS[screen].keys(), (step.id, label.catalog, SCREENS[screen].__name__)
