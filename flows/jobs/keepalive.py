"""Keep-alive: scheduled, unattended TRACES sign-ins so accounts never go inactive (guide I3),
without ever burning the five password attempts (guide I2).

Per account, in this order: take the account's lock (else "busy"); respect a hold (else
"held"); with `due_only`, skip accounts signed in recently ("not-due"); sign in to TRACES, see
its home page, sign out; record the outcome in the ledger; put the account on hold when the
portal refused a credential, so no later run tries it until a person releases it.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from structlog.contextvars import bound_contextvars

from automation.browser import RunBrowser, browser_answers, in_a_free_thread
from automation.cancel import Interrupted, cancel_requested, cancelled_meanwhile, interruption
from automation.config import AccountConfig, Settings
from automation.dates import inactive_from
from automation.error_words import in_words
from automation.errors import (
    BusinessError,
    ConfigError,
    TracesctlError,
)
from automation.factors import build_factor
from automation.holds import (
    active_hold,
    adopt_legacy_holds,
    held_detail,
    hold_summary,
    place_hold_for,
    release_after_success,
    release_command,
    unlabelled,
)
from automation.ledger import BLOCKING_KINDS, Ledger, SignInRecord, utc_now
from automation.locks import account_lock
from automation.log import get_logger
from automation.secrets import redact
from automation.vocabulary import HoldKind
from flows.jobs.keepalive_result import (
    KeepAliveOutcome,
    Result,
    classify,
    undone_line,
)
from flows.jobs.progress import Progress

if TYPE_CHECKING:
    from playwright.sync_api import Browser

log = get_logger(__name__)


def progress_of(progress: Progress | None, names: list[str], done_before: int,
                total: int) -> Callable[[int, Result], None] | None:
    """`run_serial`'s listener telling `progress` each result. The serial path signs the accounts in
    in order, so the one after a finished account is the one under way now (the person sees whose
    sign-in, or whose phone, it is waiting for). Rows settled before any sign-in (misconfigured) count
    as done from the start."""
    if progress is None or not names:
        return None
    finished = [done_before]
    progress(done_before, total, names[0])

    def heard(index: int, _result: Result) -> None:
        finished[0] += 1
        progress(finished[0], total, names[index + 1] if index + 1 < len(names) else "")

    return heard


class KeepAlive:
    def __init__(self, settings: Settings, environ: Mapping[str, str],
                 now: Callable[[], datetime] = utc_now) -> None:
        self.settings = settings
        self.environ = environ
        self.now = now
        self.ledger = Ledger.open(settings)

    def run(self, accounts: list[AccountConfig], due_only: bool = False, parallel: int = 1,
            strict: bool = False, progress: Progress | None = None) -> list[Result]:
        """Keep every account alive; results come back in the order of `accounts`. With `parallel` > 1,
        in that many worker processes sharing one browser (flows.jobs.keepalive_workers). `progress`
        hears, on the serial path, each account as it finishes and the one signed in next.

        An account whose secrets or settings are wrong is a `misconfigured` row and the others are
        signed in: one account's mistake must not let the rest go inactive. `strict`: any such
        account stops the run before any browser starts (every one of them named)."""
        adopt_legacy_holds(self.ledger, accounts)
        misconfigured = {index: self._misconfigured(account, error) for index, account in enumerate(accounts)
                         if (error := self._config_problem(account, parallel)) is not None}
        if strict and misconfigured:
            raise ConfigError("; ".join(f"{r.account}: {r.detail}" for r in misconfigured.values()))
        runnable = [account for index, account in enumerate(accounts) if index not in misconfigured]
        if parallel > 1 and len(runnable) > 1 and any(self._wants_browser(a, due_only) for a in runnable):
            from flows.jobs.keepalive_workers import run_in_workers  # when asked for: it starts processes

            ran = iter(run_in_workers(self, runnable, due_only, parallel))
        else:
            heard = progress_of(progress, [a.name for a in runnable], len(misconfigured), len(accounts))
            ran = iter(self.run_serial(list(enumerate(runnable)), due_only, on_result=heard))
        return [misconfigured[index] if index in misconfigured else next(ran) for index in range(len(accounts))]

    def _config_problem(self, account: AccountConfig, parallel: int) -> ConfigError | None:
        """What stops this account from being tried, found before any browser starts; None when nothing."""
        try:
            account.check_secrets(self.environ)
        except ConfigError as error:
            return error
        if account.needs_terminal and not sys.stdin.isatty():
            return ConfigError(f"account {account.name!r}: otp_source = \"prompt\" needs a person at a terminal, "
                               "and standard input is not one")
        if account.needs_terminal and parallel > 1:
            # Worker processes read their work from a pipe, and several prompts at once would mix.
            return ConfigError(f"account {account.name!r}: otp_source = \"prompt\" needs a person at a terminal; "
                               "run it without --parallel")
        return None

    def _misconfigured(self, account: AccountConfig, error: ConfigError) -> Result:
        log.error("account misconfigured; the others go on", account=account.name, error=redact(str(error)))
        return Result(account.name, account.email, account.factor, "misconfigured", redact(str(error)), 0.0,
                      self.ledger.last_success(account.name))

    def run_serial(self, work: list[tuple[int, AccountConfig]], due_only: bool,
                   on_result: Callable[[int, Result], None] | None = None, slot: int = 0) -> list[Result]:
        """The accounts of `work` (index, account) one after another in this thread, on one browser;
        `on_result` hears each result as soon as it is known. `slot`: the Playwright server to try
        first, when there are several (a worker's number)."""
        results: dict[int, Result] = {}

        def done(index: int, result: Result) -> None:
            results[index] = result
            if on_result is not None:
                on_result(index, result)

        try:
            self._run_accounts(deque(work), due_only, done, slot)
        except Interrupted as signalled:
            # What the signal cut short records nothing; the line says which accounts those are.
            raise signalled.with_undone(undone_line([a for _, a in work], [i for i, _ in work], results)) from None
        if cancel_requested.is_set():  # a signal whose handler did not raise (a second one, or a thread's)
            raise interruption(undone_line([a for _, a in work], [i for i, _ in work], results))
        return [results[index] for index, _ in work]

    def _run_accounts(self, work: deque[tuple[int, AccountConfig]], due_only: bool,
                      done: Callable[[int, Result], None], slot: int) -> None:
        # Playwright's driver and Chromium start only once some account will really sign in: an
        # hourly --due run where nothing is due, or everything is held, starts neither.
        while work and not cancel_requested.is_set() and not self._wants_browser(work[0][1], due_only):
            index, account = work.popleft()
            done(index, self.keep_alive(None, account, due_only))
        if not work or cancel_requested.is_set():
            return
        in_a_free_thread(partial(self._run_on_a_browser, work, due_only, done, slot))

    def _run_on_a_browser(self, work: deque[tuple[int, AccountConfig]], due_only: bool,
                          done: Callable[[int, Result], None], slot: int) -> None:
        from automation.browser import started_playwright

        try:
            # Starting Playwright's driver or the browser can fail too: under a Ctrl-C (the terminal
            # signals the driver as well) that is the interruption; otherwise every account left is
            # told why, none is tried, and no traceback reaches the person.
            with started_playwright() as playwright, RunBrowser(playwright, self.settings, slot) as run_browser:
                run_browser.browser  # noqa: B018 - started before the first account: a failure tells them all
                while work and not cancel_requested.is_set():  # checked between accounts, never mid sign-in
                    index, account = work.popleft()
                    done(index, self._keep_alive_on(run_browser, account, due_only))
        except Exception as error:  # noqa: BLE001 - see above
            if cancelled_meanwhile():
                raise interruption() from None
            log.error("no browser to sign in with", error=redact(str(error)))
            while work:
                index, account = work.popleft()
                done(index, self._result(account, "failed", redact(in_words(error)), 0.0))

    def _keep_alive_on(self, run_browser: RunBrowser, account: AccountConfig, due_only: bool) -> Result:
        browser = run_browser.browser
        try:
            result = self.keep_alive(browser, account, due_only)
            if result.outcome in {"failed", "unavailable"} and not browser_answers(browser):
                # The browser (a Playwright server) went away under this account: it costs the account
                # one more try on a browser that answers, not the run. Never after a posted password:
                # that outcome is "unconfirmed", and its hold stops any second post.
                log.warning("browser lost; trying the account once more", account=account.name)
                result = self.keep_alive(run_browser.replace(browser), account, due_only)
        except Exception as error:  # noqa: BLE001 - reported as this account's outcome
            if cancelled_meanwhile():  # e.g. a browser's start cut short by the signal
                return self._result(account, "interrupted", "abandoned: interrupted", 0.0)
            log.exception("keep-alive could not run", account=account.name)
            return self._result(account, "failed", redact(in_words(error)), 0.0)
        return result

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
                return self._result(account, "held", held_detail(hold, account), 0.0)
            if due_only and not self.is_due(account):
                return self._result(account, "not-due", f"signed in less than {account.keepalive_interval_days} "
                                    "days ago", 0.0)
            assert browser is not None, "a browser is started before an account that signs in"
            return self._sign_in_and_out(browser, account)

    def _sign_in_and_out(self, browser: Browser, account: AccountConfig) -> Result:
        from automation.browser import account_context
        from flows.jobs.signin import sign_in_to_traces

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
                log.info("keep-alive abandoned: interrupted", error=in_words(error))
                return self._result(account, "interrupted", "abandoned: interrupted", 0.0)
            if isinstance(error, TracesctlError):
                kind = place_hold_for(self.ledger, account, error, self.now)
                outcome, detail = classify(error), redact(str(error))
            else:
                log.exception("keep-alive failed unexpectedly")
                outcome, detail = "failed", redact(in_words(error))
        seconds = time.monotonic() - started
        if outcome == "ok":
            release_after_success(self.ledger, account, self.now)
        detail = unlabelled(outcome, detail)  # the outcome column says "inactive" already
        self.ledger.record_signin(SignInRecord(started_at, account.name, account.factor, outcome, detail, seconds))
        if kind in BLOCKING_KINDS and release_command(account) in detail:  # an unconfirmed attempt's says how
            detail += " (account put on hold)"
        elif kind in BLOCKING_KINDS:
            detail += f" (account put on hold: release it with `{release_command(account)}`)"
        elif kind is not None:
            detail += " (put on hold: keep-alive skips it until a person's sign-in succeeds)"
        log.info("keep-alive done", outcome=outcome, seconds=round(seconds, 2))
        return self._result(account, outcome, detail, seconds)

    def result_of(self, account: AccountConfig, outcome: KeepAliveOutcome, detail: str) -> Result:
        """A result for `account` that no sign-in of this process produced (a worker's ended)."""
        return self._result(account, outcome, detail, 0.0)

    def _result(self, account: AccountConfig, outcome: KeepAliveOutcome, detail: str, seconds: float) -> Result:
        hold = active_hold(self.ledger, account)
        return Result(account.name, account.email, account.factor, outcome, detail, seconds,
                      self.ledger.last_success(account.name), hold.kind if hold else None,
                      bool(hold and hold.acknowledged_by))


@dataclass(frozen=True)
class Status:
    account: str
    email: str
    last_success: datetime | None
    days_left: int | None  # before TRACES' four-month inactivity, counted from the last success
    hold: str | None
    hold_kind: HoldKind | None = None
    last_outcome: str | None = None  # of the last sign-in attempt any command recorded
    hold_acknowledged: bool = False  # `accounts ack`: known; status and keep-alive no longer fail on it

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
                               hold_summary(hold) if hold else None,
                               hold.kind if hold else None, attempts[-1].outcome if attempts else None,
                               bool(hold and hold.acknowledged_by)))
    return statuses
