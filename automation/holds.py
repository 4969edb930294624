"""Holds: the guard that keeps EU Login's five password attempts.

A refusal puts the account's EU Login identity (its normalised e-mail) on hold in the ledger.
Every command that signs in looks the hold up before any browser starts (`check_hold`) and
places it where the sign-in's outcome is known (`outcome_kept`), so no path, scheduled or
not, and no second account name sharing the e-mail, makes a second wrong attempt.

Kinds (automation.vocabulary.HoldKind):
  refused    password, unknown e-mail, block, second factor: nothing signs in until a person
             releases it (`tracesctl accounts release NAME`, or `accounts reset-password`);
  unconfirmed a password was posted and its outcome is unknown (automation.attempts: written
             before every post, cleared only by a confirmed success): as refused;
  inactive,  only an authority or an administrator can fix them: keep-alive stops retrying,
  suspended  status and --notify keep reporting them, and a command a person runs may try;
             its first successful sign-in releases the hold.
  reset      reset-password set a new password that the account's command (or keyring) does not
             give yet: nothing signs in until the source gives the password reset-password stored
             in its 0600 hand-over file; then a person's sign-in with it ends the hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from automation.config import AccountConfig, read_private
from automation.errors import (
    AccountBlockedError,
    AccountHeldError,
    AccountInactiveError,
    AccountSuspendedError,
    AttemptUnconfirmedError,
    ConfigError,
    CredentialsRejectedError,
    ExitCode,
    MethodNotAllowedError,
    SecondFactorRefusedError,
    TracesctlError,
    UnknownUserError,
)
from automation.ledger import BLOCKING_KINDS, Hold, Ledger, SignInRecord, utc_now
from automation.log import get_logger
from automation.secrets import redact
from automation.vocabulary import HoldKind

log = get_logger(__name__)

# The refusals that hold, and of which kind. Order matters: subclasses before their parents.
HOLDING_ERRORS: tuple[tuple[type[TracesctlError], HoldKind], ...] = (
    (CredentialsRejectedError, HoldKind.REFUSED),
    (AccountBlockedError, HoldKind.REFUSED),
    (UnknownUserError, HoldKind.REFUSED),
    (SecondFactorRefusedError, HoldKind.REFUSED),
    (MethodNotAllowedError, HoldKind.REFUSED),
    (AttemptUnconfirmedError, HoldKind.UNCONFIRMED),
    (AccountInactiveError, HoldKind.INACTIVE),
    (AccountSuspendedError, HoldKind.SUSPENDED),
)
# A successful sign-in shows a person fixed it.
FIXED_BY_OTHERS = (HoldKind.INACTIVE, HoldKind.SUSPENDED, HoldKind.RESET)


# Each hold kind's exit code, in the order a person must act (what `accounts status`, `doctor` and a
# held keep-alive row exit with): a password whose outcome is unknown first (check the account by
# hand), a refusal, a reset password not stored yet, then TRACES' suspended and inactive.
HOLD_EXIT_CODES: dict[HoldKind, ExitCode] = {
    HoldKind.UNCONFIRMED: ExitCode.UNCONFIRMED, HoldKind.REFUSED: ExitCode.REFUSED, HoldKind.RESET: ExitCode.REFUSED,
    HoldKind.SUSPENDED: ExitCode.SUSPENDED, HoldKind.INACTIVE: ExitCode.INACTIVE,
}


def hold_kind(error: BaseException) -> HoldKind | None:
    """The kind of hold `error` calls for, or None when it says nothing about the identity."""
    return next((kind for cls, kind in HOLDING_ERRORS if isinstance(error, cls)), None)


def release_command(account: AccountConfig) -> str:
    return f"tracesctl accounts release {account.name}"


def active_hold(ledger: Ledger, account: AccountConfig) -> Hold | None:
    return ledger.hold(account.identity, account.name)


def check_hold(ledger: Ledger, account: AccountConfig, environ: Mapping[str, str] | None = None,
               handover: Path | None = None) -> Hold | None:
    """Raise AccountHeldError when a refusal holds the account's identity; return a hold of
    another kind (inactive, suspended, or a reset whose new password the source now gives: the
    one in the `handover` file), which a person's command may try through."""
    hold = active_hold(ledger, account)
    if hold is not None and hold.kind == HoldKind.RESET and not _source_gives_handover(account, environ, handover):
        raise AccountHeldError(
            f"{account.email} waits for its new password (reset on {hold.placed_at:%Y-%m-%d}): {hold_reason(hold)}; "
            "nothing was sent", hold.kind, account=account.name, identity=account.identity)
    if hold is not None and hold.kind in BLOCKING_KINDS:
        what = ("Check the account (sign in by hand in a browser)" if hold.kind == HoldKind.UNCONFIRMED
                else "Fix what was refused")
        # An unconfirmed hold's reason says already what to do and names the release command.
        then = "" if release_command(account) in hold.reason else f" {what}, then `{release_command(account)}`"
        raise AccountHeldError(
            f"{account.email} is on hold ({hold.kind}) since {hold.placed_at:%Y-%m-%d} ({hold_reason(hold)}); "
            f"nothing was sent.{then}", hold.kind, account=account.name, identity=account.identity)
    return hold


def unlabelled(label: str, text: str) -> str:
    """`text` without a leading "LABEL:" (TRACES' inactive and suspended errors begin with their kind), so
    that a text putting its own label first does not say it twice ("inactive: inactive: ...")."""
    prefix = f"{label}:"
    return text[len(prefix):].lstrip() if text.casefold().startswith(prefix.casefold()) else text


def hold_reason(hold: Hold) -> str:
    """A hold's reason, to follow its kind (holds placed before the reasons lost their label kept it)."""
    return unlabelled(hold.kind, hold.reason)


def hold_summary(hold: Hold) -> str:
    """A hold in one cell (`accounts status`), each thing once: "inactive since 2026-12-01: REASON"."""
    return f"{hold.kind} since {hold.placed_at:%Y-%m-%d}: {hold_reason(hold)}"


def held_detail(hold: Hold, account: AccountConfig) -> str:
    """What a `held` keep-alive row says: the kind, since when, why, and the release command once (an
    unconfirmed hold's reason names it already)."""
    release = release_command(account)
    then = "" if release in hold.reason else f" (`{release}` once fixed)"
    seen = f"; acknowledged by {hold.acknowledged_by}" if hold.acknowledged_by else ""
    return f"{hold.kind} since {hold.placed_at:%Y-%m-%d}: {hold_reason(hold)}{then}{seen}"


def _source_gives_handover(account: AccountConfig, environ: Mapping[str, str] | None, handover: Path | None) -> bool:
    """Whether the password source, read afresh, gives the password reset-password left in `handover`."""
    if environ is None or handover is None or not handover.exists():
        return False
    try:
        return account.password(environ, fresh=True).reveal() == read_private(handover, "hand-over file")
    except ConfigError:  # the source or the file cannot be read: the hold stays, the message says why
        return False


def adopt_legacy_holds(ledger: Ledger, accounts: Iterable[AccountConfig]) -> None:
    """Holds from before the per-identity schema name an account only: give them its identity,
    so they hold every account name of the same e-mail."""
    ledger.adopt_identities({account.name: account.identity for account in accounts})


def place_hold_for(ledger: Ledger, account: AccountConfig, error: BaseException,
                   now: Callable[[], datetime] = utc_now) -> HoldKind | None:
    """Hold the identity when `error` calls for it; the kind placed, or None."""
    kind = hold_kind(error)
    if kind is not None:
        ledger.place_hold(account.identity, unlabelled(kind, redact(str(error))), now(), kind, account.name)
        log.warning("account put on hold", account=account.name, kind=kind)
    return kind


def release_after_success(ledger: Ledger, account: AccountConfig, now: Callable[[], datetime] = utc_now) -> bool:
    """A sign-in worked: an inactive or suspended hold is over (a refused one stays a person's call)."""
    return ledger.release_hold(account.identity, now(), by="tracesctl: signed in", account=account.name,
                               kinds=FIXED_BY_OTHERS)


@contextmanager
def outcome_kept(ledger: Ledger, account: AccountConfig, now: Callable[[], datetime] = utc_now) -> Iterator[None]:
    """Around a command's browser work: a refusal holds the identity before anything else
    (artifacts, reports) runs; a clean finish releases an inactive or suspended hold. Either is a
    sign-in attempt the ledger records, like keep-alive's: a command that signed in to TRACES
    (login, approve, request-access, guide-check) resets the inactivity clock too."""
    started = now()
    try:
        yield
    except BaseException as error:
        kind = place_hold_for(ledger, account, error, now)
        if kind is not None:
            outcome = "blocked" if isinstance(error, AccountBlockedError) else kind
            _record(ledger, account, started, now(), outcome, redact(str(error)))
        raise
    release_after_success(ledger, account, now)
    _record(ledger, account, started, now(), "ok", "signed in by a command")


def _record(ledger: Ledger, account: AccountConfig, started: datetime, ended: datetime, outcome: str,
            detail: str) -> None:
    ledger.record_signin(SignInRecord(started, account.name, account.factor, outcome, detail,
                                      (ended - started).total_seconds()))
