"""What keep-alive and status print, and what they send by --notify."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from automation.errors import ExitCode
from automation.holds import HOLD_EXIT_CODES
from automation.notify import send
from automation.terminal import fit_width, shown
from flows.jobs.keepalive import Status
from flows.jobs.keepalive_result import Result


def table(header: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None) -> str:
    """Columns of cells; a cell is portal text as often as not, so each is `shown` (escaped), one line.
    On a terminal (automation.terminal.fit_width, or `width`) the last column, the detail, is cut
    with "…" so that each line fits; `--wide` keeps every cell whole."""
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


# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): a target user's e-mail or a
# portal's message is data, never a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """`value` with a leading quote when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _date(moment: Any, now: datetime | None = None) -> str:
    """A time as a person reads it: in UTC, said so, and how long ago ("2026-12-01 14:18 UTC, 1 d ago")."""
    if not moment:
        return "never"
    return f"{moment:%Y-%m-%d %H:%M} UTC, {ago(moment, now or datetime.now(UTC))}"


def ago(moment: datetime, now: datetime) -> str:
    seconds = max(0, int((now - moment).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def print_keepalive(results: list[Result], as_json: bool) -> None:
    if as_json:
        print(json.dumps([r.as_json() for r in results], indent=2))
        return
    print(table(("account", "method", "outcome", "seconds", "last success", "detail"),
                [(r.account, r.method, r.outcome, f"{r.seconds:.1f}", _date(r.last_success), r.detail)
                 for r in results]))


def _days(status: Status) -> str:
    return "unknown" if status.days_left is None else str(status.days_left)


def status_table(statuses: list[Status], warn_days: int) -> str:
    return table(("account", "e-mail", "last success", "days left", "last outcome", "hold"),
                 [(s.account, s.email, _date(s.last_success), _days(s) + (" (!)" if near(s, warn_days) else ""),
                   s.last_outcome or "never", s.hold or "") for s in statuses])


def print_status(statuses: list[Status], warn_days: int, as_json: bool) -> None:
    if as_json:
        print(json.dumps([{**s.as_json(), "near_inactivity": near(s, warn_days)} for s in statuses], indent=2))
        return
    print(status_table(statuses, warn_days))


def near(status: Status, warn_days: int) -> bool:
    return status.days_left is not None and status.days_left <= warn_days


def status_exit_code(statuses: list[Status], warn_days: int) -> int:
    kinds = {s.hold_kind for s in statuses if not s.hold_acknowledged}
    for kind, code in HOLD_EXIT_CODES.items():
        if kind in kinds:
            return code
    if any(near(s, warn_days) for s in statuses):
        return ExitCode.NEAR_INACTIVITY
    return ExitCode.OK


def notify_keepalive(notifier: Any, results: list[Result], statuses: list[Status], warn_days: int) -> bool:
    """One short message listing what needs attention; nothing is sent when all is well."""
    lines = [f"{r.account}: {r.outcome}: {r.detail}" for r in results if r.outcome not in {"ok", "not-due", "busy"}]
    lines += [f"{s.account}: {s.days_left} days left before TRACES inactivity" for s in statuses if near(s, warn_days)]
    if not lines:
        return False
    return send(notifier, "tracesctl keep-alive needs attention", "\n".join(lines))


def draw_qr(modules: list[list[bool]]) -> str:
    """A QR code for a terminal: two rows of modules per line of half blocks, with a quiet zone, light
    on dark so that phones read it from dark and light terminal themes alike."""
    quiet = 2
    size = len(modules) + 2 * quiet

    def dark(row: int, col: int) -> bool:
        row, col = row - quiet, col - quiet
        return 0 <= row < len(modules) and 0 <= col < len(modules) and modules[row][col]

    glyphs = {(False, False): "\u2588", (False, True): "\u2580", (True, False): "\u2584", (True, True): " "}
    return "\n".join("".join(glyphs[(dark(r, c), dark(r + 1, c))] for c in range(size))
                     for r in range(0, size, 2))
