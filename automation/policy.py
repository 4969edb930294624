"""The approval policy (TOML) of `tracesctl approve`: whom to approve, make administrator, unsuspend.

    [approve]
    emails  = ["erik.eriksson@grontexport.se"]
    domains = ["grontexport.se"]
    csv     = "colleagues.csv"     # a CSV with an "email" column (and any others, e.g. "name")
    [administrators]
    emails  = ["frida.fors@grontexport.se"]
    [unsuspend]
    emails  = ["sven.susp@vaxtexport.se"]
    [scope]
    operators = ["Grönt Export AB"]   # optional: only requests for these operators

Everyone not matched is left pending and never touched.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from pathlib import Path

from automation.errors import PolicyFileError
from automation.files import read_input_text


@dataclass(frozen=True)
class Policy:
    approve_emails: frozenset[str]
    approve_domains: frozenset[str]
    administrators: frozenset[str]
    unsuspend: frozenset[str]
    operators: frozenset[str]  # empty: every operator the account administers

    def approves(self, email: str) -> bool:
        email = email.lower()
        return email in self.approve_emails or email.rsplit("@", 1)[-1] in self.approve_domains

    def in_scope(self, operator: str) -> bool:
        return not self.operators or operator in self.operators


SECTIONS = {"approve": {"emails", "domains", "csv"}, "administrators": {"emails"}, "unsuspend": {"emails"},
            "scope": {"operators"}}


def _strings(table: dict[str, object], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise PolicyFileError(f"{where}.{key} must be a list of non-empty strings")
    return [v.strip() for v in value]


def _emails(values: list[str], where: str) -> frozenset[str]:
    bad = [v for v in values if "@" not in v or v.startswith("@") or v.endswith("@")]
    if bad:
        raise PolicyFileError(f"{where}: not e-mail addresses: {', '.join(bad)}")
    return frozenset(v.lower() for v in values)


def load_policy(path: Path) -> Policy:
    try:
        data = tomllib.loads(read_input_text(path, "policy file", PolicyFileError))
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError(f"policy file {path} cannot be read: {exc}".replace("\n", " ")) from None
    for section, table in data.items():
        if section not in SECTIONS or not isinstance(table, dict):
            raise PolicyFileError(f"policy file {path}: unknown section [{section}]")
        unknown = set(table) - SECTIONS[section]
        if unknown:
            raise PolicyFileError(f"policy file {path}: unknown key(s) in [{section}]: {', '.join(sorted(unknown))}")
    approve = data.get("approve", {})
    emails = list(_strings(approve, "emails", "approve"))
    if "csv" in approve:
        if not isinstance(approve["csv"], str) or not approve["csv"].strip():
            raise PolicyFileError(f"policy file {path}: approve.csv must be a file name")
        emails += _csv_emails(path.parent / approve["csv"])
    domains = [d.lstrip("@").lower() for d in _strings(approve, "domains", "approve")]
    if any("@" in d or "." not in d for d in domains):
        raise PolicyFileError(f"policy file {path}: approve.domains must be domains like example.se")
    return Policy(
        approve_emails=_emails(emails, "approve"),
        approve_domains=frozenset(domains),
        administrators=_emails(_strings(data.get("administrators", {}), "emails", "administrators"), "administrators"),
        unsuspend=_emails(_strings(data.get("unsuspend", {}), "emails", "unsuspend"), "unsuspend"),
        operators=frozenset(_strings(data.get("scope", {}), "operators", "scope")),
    )


def _csv_emails(path: Path) -> list[str]:
    try:
        rows = list(csv.DictReader(io.StringIO(read_input_text(path, "policy CSV", PolicyFileError), newline="")))
    except csv.Error as exc:
        raise PolicyFileError(f"policy CSV {path} is not valid CSV: {exc}") from None
    if not rows or "email" not in rows[0]:
        raise PolicyFileError(f"policy CSV {path} needs an 'email' column")
    return [str(row["email"]).strip() for row in rows if str(row.get("email") or "").strip()]
