"""The audit trail as `tracesctl audit` exports it: CSV (plain, or as Swedish Excel opens it), JSON,
or an Excel workbook (xlsx)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import UTC
from typing import TYPE_CHECKING

from flows.reports.keepalive import spreadsheet_safe

if TYPE_CHECKING:
    from automation.ledger import AuditRecord

FIELDS = ("at", "os_user", "account", "operator", "target", "action", "outcome", "detail", "plan", "planned_by",
          "applied_by")
FORMATS = ("csv", "json", "xlsx")
SHEET = "audit"


def audit_rows(records: Iterable[AuditRecord]) -> list[dict[str, str]]:
    """One row per record, the time in ISO 8601 (UTC): what CSV and JSON write."""
    return [{f: (getattr(r, f).isoformat() if f == "at" else getattr(r, f)) for f in FIELDS} for r in records]


def as_json(rows: list[dict[str, str]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def as_csv(rows: list[dict[str, str]], excel: bool = False) -> str:
    """Every cell spreadsheet-safe (OWASP CSV injection); `excel`: as Swedish Excel opens a file."""
    out = io.StringIO()
    if excel:
        # Excel in a Swedish locale reads ';' as the field separator, and UTF-8 only after a BOM
        # (else "Grönt" arrives as "GrÃ¶nt").
        out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=FIELDS, delimiter=";" if excel else ",")
    writer.writeheader()
    writer.writerows({f: spreadsheet_safe(value) for f, value in row.items()} for row in rows)
    return out.getvalue()


def as_xlsx(records: Iterable[AuditRecord]) -> bytes:
    """A workbook with one sheet: a bold, frozen, filterable header; `at` as a real date and time
    (UTC: Excel has no time zones); every other cell a string, never a formula, whatever it starts with."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(FIELDS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, record in enumerate(records, start=2):
        at = sheet.cell(row=number, column=1, value=record.at.astimezone(UTC).replace(tzinfo=None))
        at.number_format = "yyyy-mm-dd hh:mm:ss"
        for column, name in enumerate(FIELDS[1:], start=2):
            # openpyxl refuses control characters a cell cannot hold: a portal's odd text must not
            # lose the whole export, so they become U+FFFD.
            text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(getattr(record, name)))
            cell = sheet.cell(row=number, column=column, value=text)
            cell.data_type = "s"  # openpyxl makes "=..." a formula; the trail is data, stored as written
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column in range(1, len(FIELDS) + 1):  # wide enough to read, no wider than a screen's third
        letter = get_column_letter(column)
        widest = max(len(str(c.value or "")) for c in sheet[letter])
        sheet.column_dimensions[letter].width = min(widest + 2, 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
