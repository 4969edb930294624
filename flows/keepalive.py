"""Keep-alive: scheduled, unattended TRACES sign-ins so accounts never go inactive (guide I3),
without ever burning the five password attempts (guide I2).

Per account, in this order: take the account's lock (else "busy"); respect a hold (else
"held"); with `due_only`, skip accounts signed in recently ("not-due"); sign in to TRACES, see
its home page, sign out; record the outcome in the ledger; put the account on hold when the
portal refused a credential, so no later run tries it until a person releases it.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from structlog.contextvars import bound_contextvars

from automation.browser import BrowserPool, browser_answers
from automation.cancel import Interrupted, cancel_requested, cancelled_meanwhile, interruption, join_interruptibly
from automation.config import AccountConfig, Settings
from automation.cooperative import run_together
from automation.dates import inactive_from
from automation.errors import (
    AccountBlockedError,
    AccountHeldError,
    AccountInactiveError,
    AccountSuspendedError,
    ApprovalTimeoutError,
    AttemptUnconfirmedError,
    BusinessError,
    ConfigError,
    ExitCode,
    LedgerWriteError,
    TracesctlError,
    TransientError,
)
from automation.factors import build_factor
from automation.holds import active_hold, adopt_legacy_holds, place_hold_for, release_after_success, release_command
from automation.ledger import Ledger, SignInRecord, utc_now
from automation.locks import account_lock
from automation.log import get_logger
from automation.secrets import redact

if TYPE_CHECKING:
    from playwright.sync_api import Browser

log = get_logger(__name__)

# Outcomes, and the exit code each gives a run (README: keepalive). The run's code is the first
# one found in this order: what needs a person first.
EXIT_BY_OUTCOME = {
    "unrecorded": ExitCode.LEDGER_UNWRITABLE, "unconfirmed": ExitCode.UNCONFIRMED,
    "held": ExitCode.REFUSED, "refused": ExitCode.REFUSED, "blocked": ExitCode.REFUSED,
    "suspended": ExitCode.SUSPENDED, "inactive": ExitCode.INACTIVE, "timeout": ExitCode.APPROVAL_TIMEOUT,
    "unavailable": ExitCode.PORTAL_UNAVAILABLE, "failed": ExitCode.UNEXPECTED,
}


# ok, not-due, busy, held; the portal's refusals (refused, blocked, inactive, suspended); unconfirmed
# (a password was posted and its outcome is unknown: held); unrecorded (the ledger could not record
# the attempt: the password was not sent); timeout, unavailable, failed; interrupted (a signal came
# mid sign-in: nothing recorded).
KeepAliveOutcome = Literal["ok", "not-due", "busy", "held", "refused", "blocked", "inactive", "suspended",
                           "unconfirmed", "unrecorded", "timeout", "unavailable", "failed", "interrupted"]
# A held account's exit code is its hold's: refused 3, unconfirmed 16, inactive 5, suspended 6.
EXIT_BY_HOLD = {"refused": ExitCode.REFUSED, "unconfirmed": ExitCode.UNCONFIRMED, "inactive": ExitCode.INACTIVE,
                "suspended": ExitCode.SUSPENDED}


@dataclass(frozen=True)
class Result:
    account: str
    email: str
    method: str
    outcome: KeepAliveOutcome  # the detail, in words, is its own field
    detail: str
    seconds: float
    last_success: datetime | None
    hold_kind: str | None = None  # the identity's hold after this run: refused, unconfirmed, inactive, suspended

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["last_success"] = self.last_success.isoformat() if self.last_success else None
        data["seconds"] = round(self.seconds, 2)
        return data

    @property
    def exit_code(self) -> ExitCode:
        if self.outcome == "held" and self.hold_kind in EXIT_BY_HOLD:
            return EXIT_BY_HOLD[self.hold_kind]
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
    order = list(dict.fromkeys([*EXIT_BY_OUTCOME.values(), *EXIT_BY_HOLD.values()]))
    return next((code for code in order if code in codes), ExitCode.OK)


class KeepAlive:
    def __init__(self, settings: Settings, environ: Mapping[str, str],
                 now: Callable[[], datetime] = utc_now) -> None:
        self.settings = settings
        self.environ = environ
        self.now = now
        self.ledger = Ledger.open(settings)

    def run(self, accounts: list[AccountConfig], due_only: bool = False, parallel: int = 1) -> list[Result]:
        """Keep every account alive; results come back in the order of `accounts`, however many flows."""
        adopt_legacy_holds(self.ledger, accounts)
        for account in accounts:
            account.check_secrets(self.environ)  # bad input stops the run before any browser starts
            if account.needs_terminal and not sys.stdin.isatty():
                raise ConfigError(f"account {account.name!r}: otp_source = \"prompt\" needs a person at a terminal, "
                                  "and standard input is not one")
        work = deque(enumerate(accounts))
        results: dict[int, Result] = {}
        # One thread runs Playwright, its browser and every flow (automation.cooperative); the main
        # thread only waits for it, so that a signal is handled at once.
        runner = threading.Thread(target=self._run_flows_reporting, args=(work, results, due_only, parallel),
                                  name="keepalive-browser")
        runner.start()
        try:
            join_interruptibly(runner)
        except Interrupted as signalled:
            # The signal reached the main thread only: the flows finish (or abandon) their current
            # account and take no other; wait for them so that the browser closes in its own thread.
            cancel_requested.set()
            runner.join()
            raise signalled.with_undone(self._undone(accounts, results)) from None
        if cancel_requested.is_set():  # a signal between the last join and here
            raise interruption(self._undone(accounts, results))
        return [results[index] for index in range(len(accounts))]

    @staticmethod
    def _undone(accounts: list[AccountConfig], results: dict[int, Result]) -> str:
        done = [i for i, r in results.items() if r.outcome != "interrupted"]
        undone = [account.name for i, account in enumerate(accounts) if i not in done]
        return (f"keepalive: {len(done)} of {len(accounts)} accounts done and recorded; left undone, nothing "
                f"recorded: {', '.join(undone) or 'none'}")

    def _run_flows_reporting(self, work: deque[tuple[int, AccountConfig]], results: dict[int, Result],
                             due_only: bool, parallel: int) -> None:
        """The browser thread's body: nothing escapes it as a thread traceback. A Ctrl-C reaches
        Playwright's driver too (the terminal signals the whole group), so starting or stopping it
        can fail under a signal: that is the interruption, reported by the main thread. Any other
        failure is every account's outcome that was not done yet."""
        try:
            self._run_flows(work, results, due_only, parallel)
        except Exception as error:  # noqa: BLE001 - reported below, never as a thread traceback
            if cancelled_meanwhile():
                return
            log.exception("keep-alive could not run its browser")
            while work:
                index, account = work.popleft()
                results[index] = self._result(account, "failed", redact(f"{type(error).__name__}: {error}"), 0.0)

    def _run_flows(self, work: deque[tuple[int, AccountConfig]], results: dict[int, Result], due_only: bool,
                   parallel: int) -> None:
        from automation.browser import started_playwright

        # Playwright's driver and Chromium start only once some account will really sign in: an
        # hourly --due run where nothing is due, or everything is held, starts neither.
        while work and not cancel_requested.is_set() and not self._wants_browser(work[0][1], due_only):
            index, account = work.popleft()
            results[index] = self.keep_alive(None, account, due_only)
        if not work or cancel_requested.is_set():
            return
        with started_playwright() as playwright, BrowserPool(playwright, self.settings, parallel) as pool:
            try:
                pool.start()
            except Exception as error:  # noqa: BLE001 - every account left is told why, none is tried
                log.error("no browser to sign in with", error=redact(str(error)))
                while work:
                    index, account = work.popleft()
                    results[index] = self._result(account, "failed", redact(f"{type(error).__name__}: {error}"),
                                                  0.0)
                return
            flows = max(1, min(parallel, len(work)))
            run_together(playwright, [partial(self._flow, pool, n, work, results, due_only) for n in range(flows)])

    def _flow(self, pool: BrowserPool, flow: int, work: deque[tuple[int, AccountConfig]],
              results: dict[int, Result], due_only: bool) -> None:
        """One of the run's flows: the next account, until none is left or a signal came."""
        while work and not cancel_requested.is_set():  # checked between accounts, never mid sign-in
            index, account = work.popleft()
            browser = pool.browser_for(flow)
            try:
                result = self.keep_alive(browser, account, due_only)
                if result.outcome in {"failed", "unavailable"} and not browser_answers(browser):
                    # The browser (a Playwright server) went away under this account: it costs
                    # the account one more try on a browser that answers, not the run.
                    log.warning("browser lost; trying the account once more", account=account.name)
                    result = self.keep_alive(pool.replace(flow, browser), account, due_only)
            except Exception as error:  # noqa: BLE001 - reported as this account's outcome
                if cancelled_meanwhile():  # e.g. a browser's start cut short by the signal
                    result = self._result(account, "interrupted", "abandoned: interrupted", 0.0)
                else:
                    log.exception("keep-alive could not run", account=account.name)
                    result = self._result(account, "failed", redact(f"{type(error).__name__}: {error}"), 0.0)
            results[index] = result

    def _wants_browser(self, account: AccountConfig, due_only: bool) -> bool:
        # Start Chromium only once some account will really sign in (an hourly --due run is cheap).
        return active_hold(self.ledger, account) is None and not (due_only and not self.is_due(account))

    def is_due(self, account: AccountConfig) -> bool:
        last = self.ledger.last_success(account.name)
        return last is None or self.now() - last >= timedelta(days=account.keepalive_interval_days)

    def keep_alive(self, browser: Browser | None, account: AccountConfig, due_only: bool) -> Result:
        with bound_contextvars(flow="keepalive", account=account.name), \
                account_lock(self.settings, account.identity) as lock:
            if not lock.try_acquire():
                return self._result(account, "busy", "another run is signing this account in", 0.0)
            # Every kind of hold stops an unattended run: a refused one until a person releases it,
            # an inactive or suspended one until a person's own sign-in shows it was fixed.
            hold = active_hold(self.ledger, account)
            if hold is not None:
                return self._result(account, "held", f"{hold.kind}, on hold since {hold.placed_at:%Y-%m-%d}: "
                                    f"{hold.reason} (`{release_command(account)}` once fixed)", 0.0)
            if due_only and not self.is_due(account):
                return self._result(account, "not-due", f"signed in less than {account.keepalive_interval_days} "
                                    "days ago", 0.0)
            assert browser is not None, "a browser is started before an account that signs in"
            return self._sign_in_and_out(browser, account)

    def _sign_in_and_out(self, browser: Browser, account: AccountConfig) -> Result:
        from automation.browser import account_context
        from flows.signin import sign_in_to_traces

        started_at, started = self.now(), time.monotonic()
        outcome: KeepAliveOutcome = "ok"
        detail, kind = "signed in to TRACES and out again", None
        try:
            factor = build_factor(account, self.environ)
            with account_context(browser, self.settings, account.name, account.locale) as context:
                signed_in = sign_in_to_traces(context.new_page(), self.settings, account,
                                              account.password(self.environ), factor, self.ledger)
                signed_in.home.log_out()
        except BusinessError as error:
            # The hold first: nothing after this line may lose it. A refusal is the portal's answer,
            # true even when a signal came meanwhile.
            kind = place_hold_for(self.ledger, account, error, self.now)
            outcome, detail = classify(error), redact(str(error))
        except Exception as error:  # noqa: BLE001 - one account's bug must not stop the others
            if cancelled_meanwhile():
                # A signal reached the browser or its driver too (Ctrl-C goes to the whole process
                # group): the failure is the interruption's, not the portal's; record nothing.
                log.info("keep-alive abandoned: interrupted", error=type(error).__name__)
                return self._result(account, "interrupted", "abandoned: interrupted", 0.0)
            if isinstance(error, TracesctlError):
                kind = place_hold_for(self.ledger, account, error, self.now)
                outcome, detail = classify(error), redact(str(error))
            else:
                log.exception("keep-alive failed unexpectedly")
                outcome, detail = "failed", redact(f"{type(error).__name__}: {error}")
        seconds = time.monotonic() - started
        if outcome == "ok":
            release_after_success(self.ledger, account, self.now)
        self.ledger.record_signin(SignInRecord(started_at, account.name, account.factor, outcome, detail, seconds))
        if kind in ("refused", "unconfirmed"):
            detail += f" (account put on hold: release it with `{release_command(account)}`)"
        elif kind is not None:
            detail += " (put on hold: keep-alive skips it until a person's sign-in succeeds)"
        log.info("keep-alive done", outcome=outcome, seconds=round(seconds, 2))
        return self._result(account, outcome, detail, seconds)

    def _result(self, account: AccountConfig, outcome: KeepAliveOutcome, detail: str, seconds: float) -> Result:
        hold = active_hold(self.ledger, account)
        return Result(account.name, account.email, account.factor, outcome, detail, seconds,
                      self.ledger.last_success(account.name), hold.kind if hold else None)


@dataclass(frozen=True)
class Status:
    account: str
    email: str
    last_success: datetime | None
    days_left: int | None  # before TRACES' four-month inactivity, counted from the last success
    hold: str | None
    hold_kind: str | None = None  # refused | inactive | suspended
    last_outcome: str | None = None  # of the last sign-in attempt any command recorded

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["last_success"] = self.last_success.isoformat() if self.last_success else None
        return data


def account_status(ledger: Ledger, accounts: list[AccountConfig], now: datetime) -> list[Status]:
    statuses = []
    adopt_legacy_holds(ledger, accounts)
    for account in accounts:
        last = ledger.last_success(account.name)
        days_left = (inactive_from(last) - now).days if last else None
        hold = active_hold(ledger, account)
        attempts = ledger.signins(account.name)
        statuses.append(Status(account.name, account.email, last, days_left,
                               f"{hold.kind}: {hold.reason} (since {hold.placed_at:%Y-%m-%d})" if hold else None,
                               hold.kind if hold else None, attempts[-1].outcome if attempts else None))
    return statuses
