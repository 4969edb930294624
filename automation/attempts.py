"""A password attempt as a durable intent: fail closed (EU Login blocks an account after five wrong passwords).

Before the password is posted, the ledger records an `unconfirmed` hold on the EU Login identity
(a committed transaction: on the disk, or in PostgreSQL). If that cannot be written, the password is
not posted. Only a confirmed success clears it: EU Login showing the second factor's screen or the
service itself (which it does only for an accepted password). Every other outcome keeps the hold:

- a recognised refusal (wrong password, blocked, ...) turns it `refused`;
- anything else (an answer the toolkit does not recognise, a lost answer, a timeout, a lost browser,
  an interruption, a killed process) leaves it `unconfirmed`, with a screenshot of the page kept
  where one can be taken: the live wording of EU Login's refusals is inferred, and an unrecognised
  refusal would otherwise cost one attempt per run until the account is blocked.

A person checks the account and runs `tracesctl accounts release NAME`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from automation.config import AccountConfig
from automation.error_words import in_words
from automation.errors import AccountHeldError, AttemptUnconfirmedError, LedgerWriteError
from automation.files import private_folder
from automation.holds import hold_kind, release_command
from automation.ledger import ACCEPTED_BY, Ledger, utc_now
from automation.log import get_logger
from automation.secrets import redact
from automation.vocabulary import HoldKind

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)


class PasswordAttempt:
    """One password post for one account's identity: `begin` before the post, `accepted` once EU
    Login shows that it took the password; `kept` settles every other outcome."""

    def __init__(self, ledger: Ledger, account: AccountConfig, evidence_dir: Path | None = None, *,
                 ignore_hold: bool = False, now: Callable[[], datetime] = utc_now) -> None:
        self.ledger = ledger
        self.account = account
        self.evidence_dir = evidence_dir
        self.ignore_hold = ignore_hold
        self.now = now
        self.hold: int | None = None  # the ledger's hold for this attempt, once begun
        self.is_accepted = False

    @property
    def posted(self) -> bool:
        return self.hold is not None

    def begin(self) -> None:
        """The intent, committed before the password leaves; raises (and nothing is posted) when the
        ledger cannot take it or the identity is held meanwhile (another run's attempt)."""
        at = self.now()
        reason = (f"a password was posted at {at:%Y-%m-%d %H:%M} UTC and EU Login's answer is not known "
                  "(the run is still signing in, or it died waiting)")
        try:
            self.hold = self.ledger.begin_attempt(self.account.identity, self.account.name, at, reason,
                                                  self.ignore_hold)
        except Exception as error:  # noqa: BLE001 - any failure to record means: do not post
            raise LedgerWriteError(
                f"the ledger could not record the password attempt for {self.account.email} "
                f"({redact(_first_line(error))}); the password was not sent. Free disk space or bring the "
                "database back, then run again", account=self.account.name, identity=self.account.identity
            ) from error
        if self.hold is None:
            current = self.ledger.hold(self.account.identity, self.account.name)
            kind = current.kind if current else HoldKind.REFUSED
            raise AccountHeldError(f"{self.account.email} went on hold meanwhile ({kind}); nothing was sent. "
                                   f"Check the account, then `{release_command(self.account)}`", kind,
                                   account=self.account.name, identity=self.account.identity)
        log.info("password attempt recorded before posting", account=self.account.name)

    def accepted(self) -> None:
        """EU Login took the password (its second factor's screen, or the service, is shown)."""
        if self.hold is None or self.is_accepted:
            return
        self.is_accepted = True
        try:
            self.ledger.release_attempt(self.hold, self.now(), ACCEPTED_BY)
        except Exception as error:  # noqa: BLE001 - the hold stays: fail closed, a person releases it
            log.warning("the password was accepted but its hold could not be released",
                        account=self.account.name, error=redact(_first_line(error)))

    @contextmanager
    def kept(self, page: Page) -> Iterator[None]:
        """Around the password step: any outcome but acceptance leaves the identity held, the hold
        settled before anything else (artifacts, reports) runs."""
        try:
            yield
        except Exception as error:
            if not self.posted or self.is_accepted:
                raise  # nothing was posted, or the error is about what came after the password
            raise self._settle(error, page) from error
        except BaseException:
            if self.posted and not self.is_accepted:  # interrupted or exiting: the hold stays unconfirmed
                log.warning("interrupted after the password was posted: the account stays on hold",
                            account=self.account.name)
            raise

    def _settle(self, error: Exception, page: Page) -> Exception:
        assert self.hold is not None
        if hold_kind(error) == HoldKind.REFUSED:
            self._write(self.hold, HoldKind.REFUSED, redact(str(error)))
            return error
        shot = self._evidence_path()
        reason = (f"a password was posted and EU Login's answer was not recognised ({redact(_first_line(error))}); "
                  f"it may have counted as a wrong attempt.{f' Screenshot: {shot}.' if shot else ''} Sign in by "
                  f"hand in a browser to check the account, then `{release_command(self.account)}`")
        self._write(self.hold, HoldKind.UNCONFIRMED, reason)  # the hold first, then the screenshot
        if shot is not None:
            _screenshot(page, shot)
        log.warning("password attempt unconfirmed: the account stays on hold", account=self.account.name)
        return AttemptUnconfirmedError(f"{self.account.email}: {reason}", account=self.account.name,
                                       identity=self.account.identity)

    def _write(self, hold: int, kind: HoldKind, reason: str) -> None:
        try:
            self.ledger.settle_attempt(hold, kind, reason)
        except Exception as error:  # noqa: BLE001 - the unconfirmed hold written before the post stays
            log.warning("the attempt's outcome could not be written; it stays unconfirmed",
                        account=self.account.name, error=redact(_first_line(error)))

    def _evidence_path(self) -> Path | None:
        if self.evidence_dir is None:
            return None
        return self.evidence_dir / f"{self.now():%Y%m%dT%H%M%S.%fZ}-{self.account.name}-unconfirmed" / "page.png"


def _screenshot(page: Page, path: Path) -> None:
    try:
        private_folder(path.parent)  # the artifacts folder too, when this makes it
        page.screenshot(path=str(path), full_page=True, timeout=10_000)
        path.chmod(0o600)
    except Exception as error:  # noqa: BLE001 - evidence is a help; the hold is what protects the account
        log.warning("the unconfirmed page's screenshot could not be kept", error=redact(_first_line(error)))


def _first_line(error: BaseException) -> str:
    return in_words(error)
