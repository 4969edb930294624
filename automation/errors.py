"""Every error tracesctl raises, and the exit code each one ends a command with.

TracesctlError                      root; exit 1
├── ConfigError                     bad input, found before any browser starts; exit 2
│   ├── MissingSettingError         a required setting or secret is missing or empty
│   │   └── SecretSourceError       a password or passkey command failed or timed out, or the keyring has none
│   ├── AccountsFileError           the accounts file is unreadable or malformed
│   ├── UnknownAccountError         --account names no account in the accounts file
│   ├── PasskeyFileError            a passkey credential file is missing, unreadable or too open
│   ├── CatalogError                the locator catalogue is missing, malformed or lacks an entry
│   ├── CompanyFileError            the company file is incomplete or malformed
│   ├── PolicyFileError             the approval policy is malformed
│   ├── GuideFileError              a guide file is malformed
│   ├── CaptureFileError            a portal capture file is missing or not a capture
│   ├── WeakPasswordError           a password EU Login's rule would refuse
│   ├── InstitutionAddressError     sign-up with an EU institution's address
│   ├── UnsafePathError             a path would leave TRACESCTL_HOME, or the home is unsafe
│   └── PlanRefusedError            an approval plan is tampered with, too old, or for another policy/account; exit 17
├── BusinessError                   the portal said no; retrying cannot help (never retried)
│   ├── CredentialsRejectedError    wrong password; exit 3
│   ├── AccountBlockedError         EU Login blocked the user (five wrong passwords); exit 3
│   ├── UnknownUserError            EU Login does not know the e-mail (refused at step 1); exit 3
│   ├── AccountHeldError            the EU Login identity is on hold: nothing was sent; exit 3 (16 if unconfirmed)
│   ├── SecondFactorRefusedError    the one-time password or passkey was refused; exit 3
│   ├── MethodNotAllowedError       the method is not set up or not strong enough; exit 3
│   ├── SignupRefusedError          EU Login refused the sign-up form; exit 3
│   ├── CaptchaRefusedError         the captcha code was wrong (a new one is shown); exit 3
│   ├── ResetLinkError              an e-mail link used already or expired; exit 3
│   ├── DeviceRefusedError          EU Login refused a new mobile device; exit 3
│   ├── ApprovalTimeoutError        nobody approved the app PIN request in time; exit 4
│   ├── AccountInactiveError        TRACES: unused for more than four months; exit 5
│   ├── AccountSuspendedError       TRACES: suspended after a two-factor reset; exit 6
│   ├── OperatorElsewhereError      the operator exists only with another authority; exit 9
│   ├── AmbiguousOperatorError      several operators match and the number cannot tell them apart; exit 10
│   ├── OperatorNotFoundError       no such operator, and creating it was not asked for; exit 11
│   ├── OperatorRefusedError        TRACES refused the new operator's form; exit 11
│   ├── AuthorityNotFoundError      no competent authority for plants and CHED-PP; exit 11
│   └── NotAdministratorError       TRACES refuses the users screens to this account; exit 12
├── ToolkitDriftError               a label the page objects need is not on a screen that is there; exit 21
├── LedgerWriteError                the ledger cannot record a password attempt: the password is not sent; exit 14
├── IdentityBusyError               another run is signing in as the same EU Login identity: nothing sent; exit 15
├── AttemptUnconfirmedError         a password was posted and its outcome is unknown: the identity is held; exit 16
└── TransientError                  the portal or the network failed; retried, then exit 7
    ├── PortalUnavailableError      a 5xx answer
    ├── PortalTimeoutError          a page or element did not come in time
    └── SessionDroppedError         the portal ended the session mid-flow

The portal's expected refusals (`is_expected_refusal`: exit 3, 5, 6 and 12) are answers, not failures
of the toolkit: a flow that ends with one keeps no failure folder, trace or screenshot.

Page objects raise these errors for refusals and return the next page object otherwise; flows
never compare strings to learn what a page did.

An error about an account carries it, as httpx's errors carry their request: `account` (its name in
the accounts file) and `identity` (its EU Login identity, the normalised e-mail), keyword-only,
set where it is raised, or by `about_account` around the work for one account (page objects and
factors do not know which account they serve). None: the error concerns no one account. Messages
stay as they are (they name the account in words); the fields are for code (JSON answers, rows).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from typing import TypeGuard

from automation.vocabulary import HoldKind


class ExitCode(IntEnum):
    """Every exit code of every command, in one place (the README's table lists the same)."""

    OK = 0
    UNEXPECTED = 1
    GUIDES_DIFFER = 1  # guide diff, as diff(1) does (an alias of UNEXPECTED: IntEnum values are unique)
    BAD_INPUT = 2
    REFUSED = 3  # EU Login refused, or an account is on hold
    APPROVAL_TIMEOUT = 4
    INACTIVE = 5
    SUSPENDED = 6
    PORTAL_UNAVAILABLE = 7
    NEAR_INACTIVITY = 8
    OPERATOR_ELSEWHERE = 9
    AMBIGUOUS_OPERATOR = 10
    OPERATOR_NOT_FOUND = 11
    NOT_ADMINISTRATOR = 12
    DECISIONS_FAILED = 13
    LEDGER_UNWRITABLE = 14  # the attempt could not be recorded: the password was not sent
    BUSY = 15  # another run signs in as the same EU Login identity right now: nothing was sent
    UNCONFIRMED = 16  # a password was posted and its outcome is unknown: a person must check the account
    PLAN_REFUSED = 17  # approve --apply-plan: the plan was changed, is too old, or is for another policy/account
    GUIDE_DRIFT = 20
    TOOLKIT_DRIFT = 21
    GUIDE_CHECK_COULD_NOT_RUN = 22
    CAPTURE_DIFFERS = 23  # portal compare: the capture's screens differ from the offline portal's
    INTERRUPTED = 130  # SIGINT (Ctrl-C): 128 + 2, as shells report it
    TERMINATED = 143  # SIGTERM: 128 + 15


class TracesctlError(Exception):
    """Root of tracesctl's errors."""

    exit_code: ExitCode = ExitCode.UNEXPECTED

    def __init__(self, *args: object, account: str | None = None, identity: str | None = None) -> None:
        super().__init__(*args)
        self.account = account  # the account's name in the accounts file
        self.identity = identity  # its EU Login identity (automation.config.identity_of)


@contextmanager
def about_account(account: str, identity: str) -> Iterator[None]:
    """A TracesctlError raised inside, that names no account yet, is about this one (httpx's
    `request_context` does the same for a request)."""
    try:
        yield
    except TracesctlError as error:
        if error.account is None:
            error.account, error.identity = account, error.identity or identity
        raise


class ConfigError(TracesctlError):
    """Bad input: a setting, file or argument is wrong. Found before anything is sent."""

    exit_code = ExitCode.BAD_INPUT


class MissingSettingError(ConfigError):
    """A required setting or secret is missing or empty."""


class SecretSourceError(MissingSettingError):
    """A secret's command failed, timed out or printed nothing, or the keyring holds no such entry."""


class AccountsFileError(ConfigError):
    """The accounts file cannot be read or does not have the expected shape."""


class UnknownAccountError(ConfigError):
    """The account asked for is not in the accounts file."""


class PasskeyFileError(ConfigError):
    """A passkey credential file is missing, unreadable, malformed or readable by others."""


class CatalogError(ConfigError):
    """The locator catalogue is missing, malformed, or lacks an entry or a locale."""


class CompanyFileError(ConfigError):
    """The company file is missing, incomplete, or holds an invalid organisation number."""


class PolicyFileError(ConfigError):
    """The approval policy is missing, malformed, or names something that is not an e-mail or domain."""


class GuideFileError(ConfigError):
    """A guide file is missing, malformed, or refers to what the toolkit does not know."""


class CaptureFileError(ConfigError):
    """A portal capture file is missing, unreadable, or not written by `tracesctl portal capture`."""


class WeakPasswordError(ConfigError):
    """A password that EU Login's rule would refuse: caught before it is sent."""


class InstitutionAddressError(ConfigError):
    """EU Login does not let an EU institution's address sign up as an external user."""


class UnsafePathError(ConfigError):
    """A path built from input would leave TRACESCTL_HOME, is a symlink, or the home is open to others."""


class PlanRefusedError(ConfigError):
    """An approval plan that must not be carried out: changed after it was made (HMAC), older than
    --max-plan-age, or made for another policy, account or portal. Found before anything is sent."""

    exit_code = ExitCode.PLAN_REFUSED


class BusinessError(TracesctlError):
    """The portal refused; the same attempt would be refused again, so it is never retried."""

    exit_code = ExitCode.REFUSED


class CredentialsRejectedError(BusinessError):
    """EU Login rejected the password."""


class AccountBlockedError(BusinessError):
    """EU Login blocked the user after too many wrong passwords; a new password is needed."""


class UnknownUserError(BusinessError):
    """EU Login does not know the e-mail address: refused at step 1, before any password."""


class AccountHeldError(BusinessError):
    """The account's EU Login identity is on hold after a refusal (or an attempt whose outcome is
    unknown: exit 16); a person must release it first."""

    def __init__(self, message: str, kind: HoldKind = HoldKind.REFUSED, *, account: str | None = None,
                 identity: str | None = None) -> None:
        super().__init__(message, account=account, identity=identity)
        self.kind = kind
        if kind == HoldKind.UNCONFIRMED:
            self.exit_code = ExitCode.UNCONFIRMED


class SecondFactorRefusedError(BusinessError):
    """EU Login refused the second factor (one-time password or passkey)."""


class MethodNotAllowedError(BusinessError):
    """The verification method is not set up for the account, or too weak for the service."""


# TNT-HELP, LIVS: what an account with the password alone is told about TRACES (a sign-in's refusal,
# doctor's warning).
TWO_FACTORS_FOR_TRACES = ("TRACES takes no password alone: it has required a second factor from every user since "
                          "11 June 2024. Set the account's factor to passkey, app-qr or app-pin "
                          "(`tracesctl enroll passkey` registers one)")


class SignupRefusedError(BusinessError):
    """EU Login refused the "Create an account" form (its reason is in the message)."""


class CaptchaRefusedError(BusinessError):
    """The captcha code was not the one shown; EU Login shows a new one."""


class ResetLinkError(BusinessError):
    """The e-mail's link was used already or has expired: ask for a new one."""


class DeviceRefusedError(BusinessError):
    """EU Login refused to add the mobile device (its reason is in the message)."""


class ApprovalTimeoutError(BusinessError):
    """The EU Login app request was not approved before it expired."""

    exit_code = ExitCode.APPROVAL_TIMEOUT


class AccountInactiveError(BusinessError):
    """TRACES shows the account as inactive (more than four months without a sign-in)."""

    exit_code = ExitCode.INACTIVE


class AccountSuspendedError(BusinessError):
    """TRACES suspended the user after an EU Login two-factor reset."""

    exit_code = ExitCode.SUSPENDED


class OperatorElsewhereError(BusinessError):
    """The operator is in TRACES, but only with another (non-plant) authority: the guide says to e-mail."""

    exit_code = ExitCode.OPERATOR_ELSEWHERE


class AmbiguousOperatorError(BusinessError):
    """Several operators match the company and the organisation number does not single one out."""

    exit_code = ExitCode.AMBIGUOUS_OPERATOR


class OperatorNotFoundError(BusinessError):
    """The company is not in TRACES and --create-if-missing was not given."""

    exit_code = ExitCode.OPERATOR_NOT_FOUND


class OperatorRefusedError(BusinessError):
    """TRACES sent the new operator's form back with errors."""

    exit_code = ExitCode.OPERATOR_NOT_FOUND


class AuthorityNotFoundError(BusinessError):
    """The authority search found none for plants and CHED-PP (guide C14)."""

    exit_code = ExitCode.OPERATOR_NOT_FOUND


class NotAdministratorError(BusinessError):
    """TRACES refuses the users screens: the account administers no operator."""

    exit_code = ExitCode.NOT_ADMINISTRATOR


# The exit codes of the portal's expected answers, and what the portal said, in words: EU Login
# refused (a password, a second factor, a method, a form, a link), the account inactive or suspended,
# the users screens refused. A flow ending so did its work; only other errors are the toolkit's failures.
EXPECTED_REFUSALS: dict[ExitCode, str] = {
    ExitCode.REFUSED: "EU Login refused",
    ExitCode.INACTIVE: "TRACES shows the account as inactive",
    ExitCode.SUSPENDED: "TRACES shows the account as suspended",
    ExitCode.NOT_ADMINISTRATOR: "TRACES refuses the users screens to the account",
}


def is_expected_refusal(error: BaseException) -> TypeGuard[BusinessError]:
    """Whether `error` is one of the portal's expected refusals (EXPECTED_REFUSALS), not a failure."""
    return isinstance(error, BusinessError) and error.exit_code in EXPECTED_REFUSALS


def refusal_words(error: BusinessError) -> str:
    """What the portal answered, in a few words, for one of the expected refusals."""
    if isinstance(error, AccountHeldError):
        return "the identity is on hold after an earlier refusal: nothing was sent"
    return EXPECTED_REFUSALS.get(error.exit_code, "the portal refused")


class ToolkitDriftError(TracesctlError):
    """A screen is there but a label its page object needs is not: the toolkit needs a fix.

    Raised after a short grace, not after the long timeout, so a renamed label fails fast with
    the page object and the catalogue entry that no longer match.
    """

    exit_code = ExitCode.TOOLKIT_DRIFT

    def __init__(self, page_object: str, key: str, label: str) -> None:
        super().__init__(f"{page_object} cannot find {label!r} (catalogue entry {key}) on the screen: "
                         "the portal changed; run `tracesctl guide-check` for the details")
        self.page_object = page_object
        self.key = key
        self.label = label


class LedgerWriteError(TracesctlError):
    """The ledger could not durably record a password attempt (full disk, locked, database down):
    the password is not posted, since an attempt nobody recorded could be repeated by the next run."""

    exit_code = ExitCode.LEDGER_UNWRITABLE


class IdentityBusyError(TracesctlError):
    """Another tracesctl run holds the EU Login identity's lock: it is signing in right now."""

    exit_code = ExitCode.BUSY


class AttemptUnconfirmedError(TracesctlError):
    """A password was posted and no answer the toolkit recognises came back (an unknown message, a
    lost answer, a timeout, a lost browser): it may have counted as a wrong attempt, so the identity
    stays on hold until a person has checked it and released it."""

    exit_code = ExitCode.UNCONFIRMED


class TransientError(TracesctlError):
    """The portal or the network failed in a way that may pass: retried with backoff."""

    exit_code = ExitCode.PORTAL_UNAVAILABLE


class PortalUnavailableError(TransientError):
    """The portal answered with a server error (5xx)."""


class PortalTimeoutError(TransientError):
    """A page or element did not arrive in time."""


class SessionDroppedError(TransientError):
    """The portal ended the session in the middle of a flow."""
