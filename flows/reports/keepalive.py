"""What keep-alive and status print, and what they send by --notify."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from automation.errors import ExitCode
from automation.holds import HOLD_EXIT_CODES
from automation.notify import send
from flows.jobs.keepalive import Status
from flows.jobs.keepalive_result import Result
from flows.reports.table import KEEPALIVE_COLUMNS, STATUS_COLUMNS, table, when

# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): a target user's e-mail or a
# portal's message is data, never a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """`value` with a leading quote when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def print_keepalive(results: list[Result], as_json: bool, columns: Sequence[str] | None = None) -> None:
    if as_json:
        print(json.dumps([r.as_json() for r in results], indent=2))
        return
    print(table(KEEPALIVE_COLUMNS, [(r.account, r.method, r.outcome, f"{r.seconds:.1f}", when(r.last_success),
                                     r.detail) for r in results], columns=columns))


def _days(status: Status) -> str:
    return "unknown" if status.days_left is None else str(status.days_left)


def status_table(statuses: list[Status], warn_days: int, columns: Sequence[str] | None = None) -> str:
    return table(STATUS_COLUMNS,
                 [(s.account, s.email, when(s.last_success), _days(s) + (" (!)" if near(s, warn_days) else ""),
                   s.last_outcome or "never", s.hold or "") for s in statuses], columns=columns)


def print_status(statuses: list[Status], warn_days: int, as_json: bool, columns: Sequence[str] | None = None) -> None:
    if as_json:
        print(json.dumps([{**s.as_json(), "near_inactivity": near(s, warn_days)} for s in statuses], indent=2))
        return
    print(status_table(statuses, warn_days, columns))


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
