"""The locator catalogue: `selectors/*.toml`, one file per portal, read for one locale.

An entry is a TOML table with exactly one way to find the element:
  css   = "#username"                                  a stable id of the real portal
  role  = "button", name = { en = "...", sv = "..." }  role and accessible name
  label = { en = "...", sv = "..." }                   the label of a form field
  text  = { en = "...", sv = "..." }                   visible text (substring)
  option = { en = "...", sv = "..." }                  a label that is not an element (a select option)
Any value may be one string for both locales, and may hold `{placeholders}` filled at lookup.
Keys are `<file>.<table path>`, e.g. `eulogin.whoami.username`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from automation.errors import ConfigError

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

KINDS = ("css", "role", "label", "text", "option")


class CatalogError(ConfigError):
    """The locator catalogue is missing, malformed, or lacks an entry or a locale."""


def selectors_dir() -> Path:
    """selectors/ in a source checkout, or its copy inside the installed package."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_data" / "selectors", package.parent / "selectors"):
        if candidate.is_dir():
            return candidate
    raise CatalogError(f"locator catalogue not found next to {package}")


@dataclass(frozen=True)
class Entry:
    key: str
    kind: str
    value: str
    name: str | None = None
    exact: bool = False


def _localized(value: Any, locale: str, key: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get(locale), str):
        return str(value[locale])
    raise CatalogError(f"catalogue entry {key} has no {locale!r} text")


def _flatten(prefix: str, table: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    if any(kind in table for kind in KINDS):
        return {prefix: table}
    found: dict[str, Mapping[str, Any]] = {}
    for name, value in table.items():
        if isinstance(value, Mapping):
            found.update(_flatten(f"{prefix}.{name}", value))
    return found


@cache
def _raw_entries(directory: Path) -> dict[str, Mapping[str, Any]]:
    entries: dict[str, Mapping[str, Any]] = {}
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise CatalogError(f"no catalogue files in {directory}")
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise CatalogError(f"catalogue file {path} is not valid TOML: {exc}") from None
        entries.update(_flatten(path.stem, data))
    return entries


class Catalog:
    """Locators for one locale. Page objects are its only users."""

    def __init__(self, locale: str, directory: Path | None = None) -> None:
        self.locale = locale
        self._raw = _raw_entries(directory or selectors_dir())

    def keys(self) -> list[str]:
        return sorted(self._raw)

    def entry(self, key: str) -> Entry:
        table = self._raw.get(key)
        if table is None:
            raise CatalogError(f"no catalogue entry {key!r}")
        kinds = [k for k in KINDS if k in table]
        if len(kinds) != 1:
            raise CatalogError(f"catalogue entry {key} must have exactly one of {', '.join(KINDS)}")
        kind = kinds[0]
        if kind == "role":
            name = _localized(table["name"], self.locale, key) if "name" in table else None
            return Entry(key, kind, str(table["role"]), name, bool(table.get("exact", False)))
        return Entry(key, kind, _localized(table[kind], self.locale, key), exact=bool(table.get("exact", False)))

    def text(self, key: str, **fill: str) -> str:
        """The localized label of an entry (a role's name, a label, a text or an option)."""
        entry = self.entry(key)
        value = entry.name if entry.kind == "role" and entry.name is not None else entry.value
        return value.format(**fill) if fill else value

    def locator(self, scope: Page | Locator, key: str, **fill: str) -> Locator:
        entry = self.entry(key)
        value = entry.value.format(**fill) if fill else entry.value
        if entry.kind == "css":
            return scope.locator(value)
        if entry.kind == "role":
            name = entry.name.format(**fill) if entry.name and fill else entry.name
            return scope.get_by_role(value, name=name, exact=entry.exact)  # type: ignore[arg-type]
        if entry.kind == "label":
            return scope.get_by_label(value, exact=entry.exact)
        if entry.kind == "text":
            return scope.get_by_text(value, exact=entry.exact)
        raise CatalogError(f"catalogue entry {key} is an option label, not an element")
