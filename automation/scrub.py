"""Take personal data and secrets out of what `tracesctl portal capture` records, before anything is
written: the file goes to people outside the user's organisation.

Three layers, each catching what the one before may miss:
1. Known values, exactly (any case): the account's password and other registered secrets, cookie
   values, the account's e-mail and the words of its local part (`anna.admin@...` → "Anna", and a
   capitalised word right after it, the surname), and anything the user adds (`--also-scrub`).
2. Shapes: e-mail addresses, CAS tickets (ST-, TGT-, PGT-, PT-, LT-), query values of URLs,
   Swedish organisation and personal identity numbers, VAT/EORI numbers, phone numbers, postal codes,
   street addresses, company names ending in a company form (AB, HB, KB, Aktiebolag, ...), long tokens.
3. Structure (ARIA snapshots): the text of table rows is data, not labels, so every name inside a row
   is replaced unless it is repeated in several rows (a "View" link, a status), and the values typed
   into fields are dropped.

A blocklist always misses something; the capture is plain JSON so the user reads it before sending.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from automation.secrets import SECRET_COOKIE_NAME

SECRET, COOKIE, EMAIL, NAME, EXTRA = "<SECRET>", "<COOKIE>", "<EMAIL>", "<NAME>", "<SCRUBBED>"
CELL, VALUE = "<CELL>", "<VALUE>"

# (pattern, placeholder, what it stands for): the order matters, longer shapes first.
SHAPES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(rf"(?i)(\b{SECRET_COOKIE_NAME}=)[^;\s\"'&]+"), rf"\1{COOKIE}",
     "session cookies (__Secure-, __Host-, CASTGC, ECAS_..., JSESSIONID)"),
    (re.compile(r"\b(?:ST|TGT|PGT|PT|LT)-[A-Za-z0-9._:-]+"), "<TICKET>", "CAS tickets (ST-..., TGT-...)"),
    (re.compile(r"([?&][^=&\s\"'#]+)=[^&\s\"'#]*"), r"\1=<VALUE>", "query values of URLs"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), EMAIL, "e-mail addresses"),
    (re.compile(r"\bSE\s?\d{10}(?:01)?\b", re.IGNORECASE), "<VAT_NUMBER>", "VAT and EORI numbers"),
    (re.compile(r"\b(?:19|20)\d{6}[-+]?\d{4}\b"), "<PERSONAL_NUMBER>", "personal identity numbers"),
    (re.compile(r"\b\d{6}[-+]\d{4}\b"), "<ORG_NUMBER>", "organisation numbers (NNNNNN-NNNN)"),
    (re.compile(r"(?<![\w+])(?:\+|00)\d{1,3}[\s-]?(?:\(0\)\s?)?\d{1,4}(?:[\s-]?\d{2,4}){1,4}\b"), "<PHONE>",
     "phone numbers"),
    (re.compile(r"\b0\d{1,3}[-/ ]\d{2,3}(?:[ -]?\d{2}){1,3}\b"), "<PHONE>", "phone numbers"),
    (re.compile(r"(?:\b[A-ZÅÄÖ][\wåäöéü-]*\s)?\b[\wåäöÅÄÖéü-]*(?:gatan|vägen|väg|gata|gränd|torget|torg|allén|"
                r"backen|stigen|leden|platsen|street|road|avenue|straße|strasse)\s\d+\s?[A-Za-z]?\b",
                re.IGNORECASE), "<ADDRESS>", "street addresses"),
    (re.compile(r"\b\d{3}\s?\d{2}\b(?=\s+[A-ZÅÄÖ]|\s*$|\s*[,\"])"), "<POSTAL_CODE>", "postal codes"),
    (re.compile(r"(?:\b[A-ZÅÄÖ0-9][\wåäöÅÄÖéü.&'-]*\s+(?:&\s+)?){1,5}"
                r"(?:AB|HB|KB|Aktiebolag|Handelsbolag|Kommanditbolag|Ekonomisk förening|GmbH|Ltd|Oy|A/S|AS)"
                r"(?:\s\(publ\))?(?![\wåäö])"), "<ORG_NAME>", "organisation names (a name ending in AB, HB, ...)"),
    (re.compile(r"\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{24,}\b"), "<TOKEN>",
     "long tokens (sessions, forms)"),
)
SNAPSHOT_LINE = re.compile(r'^(?P<indent>\s*)- (?P<role>[a-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?(?P<rest>.*)$')
HEADING_OF_A_RECORD = re.compile(r"^([^:<>]{1,40}): (?!<)(.+)$")
FIELD_ROLES = {"textbox", "searchbox", "combobox", "spinbutton"}
ROW_ROLES = {"row"}
KEEP_IN_ROWS = {"columnheader", "rowheader"}  # a table's headers are labels, not data


@dataclass
class Scrubber:
    """Replaces personal data and secrets in text with placeholders, and remembers what kinds it replaced."""

    known: dict[str, str] = field(default_factory=dict)  # value (casefolded) → placeholder
    found: set[str] = field(default_factory=set)  # what was replaced, for the capture's note
    name_words: set[str] = field(default_factory=set)

    @classmethod
    def for_account(cls, email: str, secrets: Iterable[str] = (), extra: Iterable[str] = ()) -> Scrubber:
        scrubber = cls()
        for secret in secrets:
            scrubber.register(secret, SECRET)
        scrubber.register(email, EMAIL)
        for value in extra:
            scrubber.register(value, EXTRA)
        # A person's e-mail usually is first.last@: its words are their name as the portal shows it.
        scrubber.name_words = {w for w in re.split(r"[._+-]", email.split("@")[0]) if len(w) >= 2 and w.isalpha()}
        return scrubber

    def register(self, value: str, placeholder: str) -> None:
        """Always replace `value` (a secret, a cookie): too short a value would eat ordinary words."""
        if len(value.strip()) >= 4:
            self.known.setdefault(value.strip(), placeholder)  # the first kind named wins (an e-mail in a cookie)

    def text(self, text: str) -> str:
        for value in sorted(self.known, key=len, reverse=True):
            if value.casefold() in text.casefold():
                text = re.sub(re.escape(value), self.known[value], text, flags=re.IGNORECASE)
                self.found.add(self.known[value])
        for pattern, placeholder, what in SHAPES:
            text, n = pattern.subn(placeholder, text)
            if n:
                self.found.add(what)
        if self.name_words:
            words = "|".join(re.escape(w) for w in sorted(self.name_words, key=len, reverse=True))
            text, n = re.subn(rf"\b(?:{words})\b(?:\s+[A-ZÅÄÖ][\wåäöéü-]+)*", NAME, text, flags=re.IGNORECASE)
            if n:
                self.found.add("the account's name")
        return text

    def tree(self, value: Any) -> Any:
        """Every string in a JSON-like value, keys included."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(k): self.tree(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.tree(v) for v in value]
        return value

    def aria_snapshot(self, snapshot: str) -> str:
        """A Playwright ARIA snapshot with the data of table rows and typed values taken out, then
        every line scrubbed as text. What a row held is remembered: the same name on a later screen
        (a user's page after the users list) is replaced there too."""
        lines = [_unquoted(line) for line in snapshot.splitlines()]
        in_rows = _lines_in_rows([line for line, _ in lines])
        repeated = Counter(_name_of(lines[i][0]) for i in in_rows)
        out = []
        for i, (line, quoted) in enumerate(lines):
            match = SNAPSHOT_LINE.match(line)
            if match is not None:
                role, name, rest = match["role"], match["name"], match["rest"]
                if i in in_rows and role not in KEEP_IN_ROWS:
                    if name is not None and repeated[name] < 2:
                        self._row_data(name)
                        name = CELL
                    if rest.startswith(": ") and repeated[rest] < 2:
                        self._row_data(rest[2:])
                        rest = ": " + CELL
                if role == "heading" and name is not None and HEADING_OF_A_RECORD.match(name):
                    # "User: Erik Eriksson": the screen of one record names it in the heading.
                    name = HEADING_OF_A_RECORD.sub(r"\1: " + VALUE, name)
                    self.found.add("the record a heading names")
                if role in FIELD_ROLES and rest.startswith(": "):
                    rest = ": " + VALUE  # what was typed in (the e-mail at step 1)
                line = f'{match["indent"]}- {role}' + (f' "{name}"' if name is not None else "") + rest
            out.append(_quoted(self.text(line)) if quoted else self.text(line))
        return "\n".join(out)

    def _row_data(self, value: str) -> None:
        self.found.add("table contents")
        if value.strip() and not value.startswith("<"):
            self.register(value.replace('\\"', '"'), CELL)

    def note(self) -> str:
        found = ", ".join(sorted(self.found)) or "nothing"
        return ("Personal data and secrets were replaced by placeholders such as <EMAIL>, <ORG_NUMBER>, <CELL> "
                "before this file was written: the account's password and e-mail, its name, cookies, CAS tickets, "
                "query values, e-mail addresses, organisation names and numbers, addresses, postal codes, phone "
                "numbers, the contents of table rows, what follows 'Label: ' in a heading and typed values. "
                "Replaced in this capture: "
                f"{found}. Read it before sending: a name in running text can still slip through.")


def _unquoted(line: str) -> tuple[str, bool]:
    """Playwright quotes a snapshot line that holds a colon in YAML's single quotes: read it bare."""
    match = re.match(r"^(\s*)- '(.*)'(:?)$", line)
    if match is None:
        return line, False
    inner = match[2].replace("''", "'")
    return f"{match[1]}- {inner}{match[3]}", True


def _quoted(line: str) -> str:
    """Back into YAML's single quotes, as Playwright wrote it."""
    match = re.match(r"^(\s*)- (.*?)(:?)$", line)
    if match is None:
        return line
    inner = match[2].replace("'", "''")
    return f"{match[1]}- '{inner}'{match[3]}"


def _name_of(line: str) -> str:
    match = SNAPSHOT_LINE.match(line)
    if match is None:
        return line.strip()
    return match["name"] if match["name"] is not None else match["rest"]


def _lines_in_rows(lines: list[str]) -> set[int]:
    """Indexes of the lines that are a table row or inside one (by the snapshot's indentation)."""
    inside: set[int] = set()
    row_indent: int | None = None
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if row_indent is not None and indent <= row_indent:
            row_indent = None
        match = SNAPSHOT_LINE.match(line)
        if row_indent is None and match is not None and match["role"] in ROW_ROLES:
            row_indent = indent
        if row_indent is not None:
            inside.add(i)
    return inside
