"""What one keep-alive run found per account (`Result`), the outcome words, the exit code each gives
a run, and the interrupted run's line. Apart from flows.jobs.keepalive so that the worker processes'
modules (flows.jobs.keepalive_worker, flows.jobs.keepalive_workers) can speak of results without importing
the run itself: keepalive -> workers -> worker -> this, never back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal

from automation.config import AccountConfig
from automation.errors import (
    AccountBlockedError,
    AccountHeldError,
    AccountInactiveError,
    AccountSuspendedError,
    ApprovalTimeoutError,
    AttemptUnconfirmedError,
    BusinessError,
    ExitCode,
    LedgerWriteError,
    TracesctlError,
    TransientError,
)
from automation.holds import HOLD_EXIT_CODES
from automation.vocabulary import FactorKind, HoldKind

# Outcomes, and the exit code each gives a run (README: keepalive). The run's code is the first
# one found in this order: what needs a person first.
EXIT_BY_OUTCOME = {
    "unrecorded": ExitCode.LEDGER_UNWRITABLE, "unconfirmed": ExitCode.UNCONFIRMED,
    "held": ExitCode.REFUSED, "refused": ExitCode.REFUSED, "blocked": ExitCode.REFUSED,
    "suspended": ExitCode.SUSPENDED, "inactive": ExitCode.INACTIVE, "timeout": ExitCode.APPROVAL_TIMEOUT,
    "misconfigured": ExitCode.BAD_INPUT, "unavailable": ExitCode.PORTAL_UNAVAILABLE, "failed": ExitCode.UNEXPECTED,
}


# ok, not-due, busy, held; the portal's refusals (refused, blocked, inactive, suspended); unconfirmed
# (a password was posted and its outcome is unknown: held); unrecorded (the ledger could not record
# the attempt: the password was not sent); timeout, unavailable, failed; interrupted (a signal came
# mid sign-in: nothing recorded).
KeepAliveOutcome = Literal["ok", "not-due", "busy", "held", "refused", "blocked", "inactive", "suspended",
                           "unconfirmed", "unrecorded", "misconfigured", "timeout", "unavailable", "failed",
                           "interrupted"]


@dataclass(frozen=True)
class Result:
    account: str
    email: str
    method: FactorKind | Literal[""]  # "": the accounts file's table for the account cannot be read
    outcome: KeepAliveOutcome  # the detail, in words, is its own field
    detail: str
    seconds: float
    last_success: datetime | None
    hold_kind: HoldKind | None = None  # the identity's hold after this run
    hold_acknowledged: bool = False  # `accounts ack`: a known inactive/suspended case that no longer fails the run

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["last_success"] = self.last_success.isoformat() if self.last_success else None
        data["seconds"] = round(self.seconds, 2)
        return data

    @property
    def exit_code(self) -> ExitCode:
        if self.outcome == "held" and self.hold_acknowledged:
            return ExitCode.OK
        if self.outcome == "held" and self.hold_kind in HOLD_EXIT_CODES:
            return HOLD_EXIT_CODES[self.hold_kind]
        return EXIT_BY_OUTCOME.get(self.outcome, ExitCode.OK)


def classify(error: TracesctlError) -> KeepAliveOutcome:
    if isinstance(error, AttemptUnconfirmedError):
        return "unconfirmed"
    if isinstance(error, LedgerWriteError):
        return "unrecorded"
    if isinstance(error, AccountHeldError):
        return "held"  # another run's attempt held the identity between our check and the post
    if isinstance(error, AccountBlockedError):
        return "blocked"
    if isinstance(error, AccountInactiveError):
        return "inactive"
    if isinstance(error, AccountSuspendedError):
        return "suspended"
    if isinstance(error, ApprovalTimeoutError):
        return "timeout"
    if isinstance(error, BusinessError):
        return "refused"  # wrong password, second factor refused, method not allowed
    if isinstance(error, TransientError):
        return "unavailable"
    return "failed"


def run_exit_code(results: list[Result]) -> ExitCode:
    """The first code, in EXIT_BY_OUTCOME's order (what needs a person first), of any account."""
    codes = {r.exit_code for r in results}
    order = list(dict.fromkeys([*EXIT_BY_OUTCOME.values(), *HOLD_EXIT_CODES.values()]))
    return next((code for code in order if code in codes), ExitCode.OK)


def undone_line(accounts: list[AccountConfig], indexes: list[int], results: Mapping[int, Result]) -> str:
    """The interrupted run's line: how many of `accounts` (at `indexes`) are done, which are left."""
    done = [i for i in indexes if i in results and results[i].outcome != "interrupted"]
    undone = [account.name for i, account in zip(indexes, accounts, strict=True) if i not in done]
    return (f"keepalive: {len(done)} of {len(accounts)} accounts done and recorded; left undone, nothing "
            f"recorded: {', '.join(undone) or 'none'}")
