"""The terminal's tables: every command's columns, which `--columns` chooses from, and one renderer
that fits them to the terminal. Imports nothing heavy: the command line names the columns of a
command (its `--columns` check) without loading the command's reports."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from automation.terminal import fit_width, shown

# Each table's columns, by the header a person reads; `--columns` names them in any case, with "-"
# or "_" for a space, and without what a header says in brackets ("when" for "when (UTC)").
KEEPALIVE_COLUMNS = ("account", "method", "outcome", "seconds", "last success", "detail")
STATUS_COLUMNS = ("account", "e-mail", "last success", "days left", "last outcome", "hold")
HISTORY_COLUMNS = ("when", "account", "method", "outcome", "seconds", "detail")
HOLDS_COLUMNS = ("placed", "account", "kind", "released", "released by", "reason")
APPROVE_COLUMNS = ("user", "name", "operator", "decision", "outcome")


def column_key(name: str) -> str:
    """A column's name as `--columns` compares it: "Last-Success" and "last success" are one."""
    return re.sub(r"[\s_-]+", " ", re.sub(r"\(.*?\)", "", name)).strip().casefold()


def chosen_columns(words: str, header: Sequence[str]) -> tuple[str, ...]:
    """`--columns a,b,c`: those of `header`, in that order. An unknown or repeated name is bad input
    (ValueError naming the columns there are), found before the command does anything."""
    known = {column_key(name): name for name in header}
    asked = [column_key(word) for word in words.split(",")]
    unknown = [word for word, key in zip(words.split(","), asked, strict=True) if key not in known]
    if unknown or not asked:
        raise ValueError(f"no column {', '.join(repr(w.strip()) for w in unknown) or repr(words)}; the columns "
                         f"are: {', '.join(header)}")
    if len(set(asked)) != len(asked):
        raise ValueError(f"a column is named twice in {words!r}")
    return tuple(known[key] for key in asked)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None,
          columns: Sequence[str] | None = None) -> str:
    """Columns of cells; a cell is portal text as often as not, so each is `shown` (escaped), one line.
    `columns`: only those of `header` (chosen_columns), in their order. On a terminal
    (automation.terminal.fit_width, or `width`) the last column, the detail, is cut with "…" so that
    each line fits; `--wide` (or `-o wide`) keeps every cell whole."""
    if columns is not None:
        picked = [list(header).index(name) for name in columns]
        header = [header[i] for i in picked]
        rows = [[row[i] for i in picked] for row in rows]
    lines = [list(header), *[[shown(cell) for cell in r] for r in rows]]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    limit = width if width is not None else fit_width()
    if limit is not None and len(header) > 1:
        room = limit - sum(widths[:-1]) - 2 * (len(header) - 1)
        if widths[-1] > room >= len(header[-1]):
            lines = [line[:-1] + [line[-1] if len(line[-1]) <= room else line[-1][:room - 1] + "…"]
                     for line in lines]
            widths[-1] = room
    rendered = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    rendered.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(rendered)


def when(moment: Any, now: datetime | None = None, missing: str = "never") -> str:
    """A time as a person reads it: in UTC, said so, and how long ago or how soon
    ("2026-12-01 14:18 UTC, 1 d ago"; "2027-03-30 00:00 UTC, in 117 d")."""
    if not moment:
        return missing
    return f"{moment:%Y-%m-%d %H:%M} UTC, {age(moment, now or datetime.now(UTC))}"


def age(moment: datetime, now: datetime) -> str:
    seconds = int((now - moment).total_seconds())
    ahead, seconds = seconds < 0, abs(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"in {seconds // size} {unit}" if ahead else f"{seconds // size} {unit} ago"
    return "just now"
