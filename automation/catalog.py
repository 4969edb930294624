"""The locator catalogue: `selectors/*.toml`, one file per portal, read for one locale.

An entry is a TOML table with exactly one way to find the element:
  css   = "#username"                                  a stable id of the real portal
  role  = "button", name = { en = "...", sv = "..." }  role and accessible name
  label = { en = "...", sv = "..." }                   the label of a form field
  text  = { en = "...", sv = "..." }                   visible text (substring)
  option = { en = "...", sv = "..." }                  a label that is not an element (a select option)
`exact = true` matches the whole name; `starts = true` (roles) a name that begins with it.
Any value may be one string for both locales, and may hold `{placeholders}` filled at lookup.
A localized value may be a list of variants the real portal is known to show (newest first, e.g.
`sv = ["Spara", "Spara ändringar"]`): the locator finds whichever is there, and `variant_found`
says which one a screen shows.
Keys are `<file>.<table path>`, e.g. `eulogin.whoami.username`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from automation.errors import CatalogError

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

KINDS = ("css", "role", "label", "text", "option")



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
    values: tuple[str, ...]  # the selector, label or text; several for a role's or label's variants
    names: tuple[str, ...] = ()  # a role's accessible names (variants), empty for any name
    exact: bool = False
    starts: bool = False  # the name begins with the text ("User: Anna"), so "Search users" is not it

    @property
    def value(self) -> str:
        return self.values[0]

    @property
    def name(self) -> str | None:
        return self.names[0] if self.names else None

    @property
    def variants(self) -> tuple[str, ...]:
        return self.names if self.kind == "role" else self.values


def _localized(value: Any, locale: str, key: str) -> tuple[str, ...]:
    if isinstance(value, Mapping):
        value = value.get(locale)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
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
        exact = bool(table.get("exact", False))
        if kind == "role":
            names = _localized(table["name"], self.locale, key) if "name" in table else ()
            return Entry(key, kind, (str(table["role"]),), names, exact, bool(table.get("starts", False)))
        if kind == "css":
            return Entry(key, kind, (str(table["css"]),), exact=exact)
        return Entry(key, kind, _localized(table[kind], self.locale, key), exact=exact)

    def text(self, key: str, **fill: str) -> str:
        """The localized label of an entry (a role's name, a label, a text or an option); the newest
        variant when the portal is known to show several."""
        entry = self.entry(key)
        value = entry.name if entry.kind == "role" and entry.name is not None else entry.value
        return value.format(**fill) if fill else value

    def texts(self, key: str) -> tuple[str, ...]:
        """Every variant of an entry's label, newest first."""
        return self.entry(key).variants

    def describe(self, key: str, **fill: str) -> str:
        """What the entry looks for, as a person would say it: `button "Save" or "Save changes"`."""
        entry = self.entry(key)
        if entry.kind == "css":
            return entry.value
        shown = " or ".join(f'"{v.format(**fill) if fill else v}"' for v in entry.variants) or "(any name)"
        return f"{entry.value} {shown}" if entry.kind == "role" else f"{entry.kind} {shown}"

    def locator(self, scope: Page | Locator, key: str, **fill: str) -> Locator:
        entry = self.entry(key)
        found: Locator | None = None
        for variant in self._variant_locators(scope, entry, fill).values():
            found = variant if found is None else found.or_(variant)
        assert found is not None  # every entry has at least one value
        return found

    def variant_found(self, scope: Page | Locator, key: str, **fill: str) -> str | None:
        """Which variant of the entry's label the scope shows now, if any (read-only)."""
        for variant, locator in self._variant_locators(scope, self.entry(key), fill).items():
            if locator.count() > 0:
                return variant
        return None

    @staticmethod
    def _variant_locators(scope: Page | Locator, entry: Entry, fill: Mapping[str, str]) -> dict[str, Locator]:
        def filled(text: str) -> str:
            return text.format(**fill) if fill else text

        if entry.kind == "css":
            return {entry.value: scope.locator(filled(entry.value))}
        if entry.kind == "role":
            if not entry.names:
                return {"": scope.get_by_role(entry.value)}  # type: ignore[arg-type]
            if entry.starts:
                return {filled(name): scope.get_by_role(entry.value,  # type: ignore[arg-type]
                                                        name=re.compile("^" + re.escape(filled(name))))
                        for name in entry.names}
            return {filled(name): scope.get_by_role(entry.value, name=filled(name),  # type: ignore[arg-type]
                                                    exact=entry.exact) for name in entry.names}
        if entry.kind == "label":
            return {filled(v): scope.get_by_label(filled(v), exact=entry.exact) for v in entry.values}
        if entry.kind == "text":
            return {filled(v): scope.get_by_text(filled(v), exact=entry.exact) for v in entry.values}
        raise CatalogError(f"catalogue entry {entry.key} is an option label, not an element")
