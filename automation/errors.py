"""Every error tracesctl raises, and the exit code each one ends a command with.

TracesctlError                      root; exit 1
├── ConfigError                     bad input, found before any browser starts; exit 2
│   ├── MissingSettingError         a required setting or secret is missing or empty
│   ├── AccountsFileError           the accounts file is unreadable or malformed
│   ├── UnknownAccountError         --account names no account in the accounts file
│   ├── PasskeyFileError            a passkey credential file is missing, unreadable or too open
│   └── UnsafePathError             a path would leave TRACESCTL_HOME, or the home is unsafe
├── BusinessError                   the portal said no; retrying cannot help (never retried)
│   ├── CredentialsRejectedError    wrong password; exit 3
│   ├── AccountBlockedError         EU Login blocked the user (five wrong passwords); exit 3
│   ├── UnknownUserError            EU Login does not know the e-mail address (step 1); exit 3
│   ├── AccountHeldError            the EU Login identity is on hold: nothing was sent; exit 3
│   ├── SecondFactorRefusedError    the one-time password or passkey was refused; exit 3
│   ├── MethodNotAllowedError       the method is not set up or not strong enough; exit 3
│   ├── ApprovalTimeoutError        nobody approved the app PIN request in time; exit 4
│   ├── AccountInactiveError        TRACES: unused for more than four months; exit 5
│   ├── AccountSuspendedError       TRACES: suspended after a two-factor reset; exit 6
│   ├── OperatorElsewhereError      the operator exists only with another authority; exit 9
│   ├── AmbiguousOperatorError      several operators match and the number cannot tell them apart; exit 10
│   ├── OperatorNotFoundError       no such operator, and creating it was not asked for; exit 11
│   └── NotAdministratorError       TRACES refuses the users screens to this account; exit 12
└── TransientError                  the portal or the network failed; retried, then exit 7
    ├── PortalUnavailableError      a 5xx answer
    ├── PortalTimeoutError          a page or element did not come in time
    └── SessionDroppedError         the portal ended the session mid-flow
"""

from __future__ import annotations


class TracesctlError(Exception):
    """Root of tracesctl's errors."""

    exit_code = 1


class ConfigError(TracesctlError):
    """Bad input: a setting, file or argument is wrong. Found before anything is sent."""

    exit_code = 2


class MissingSettingError(ConfigError):
    """A required setting or secret is missing or empty."""


class AccountsFileError(ConfigError):
    """The accounts file cannot be read or does not have the expected shape."""


class UnknownAccountError(ConfigError):
    """The account asked for is not in the accounts file."""


class PasskeyFileError(ConfigError):
    """A passkey credential file is missing, unreadable, malformed or readable by others."""


class UnsafePathError(ConfigError):
    """A path built from input would leave TRACESCTL_HOME, is a symlink, or the home is open to others."""


class BusinessError(TracesctlError):
    """The portal refused; the same attempt would be refused again, so it is never retried."""

    exit_code = 3


class CredentialsRejectedError(BusinessError):
    """EU Login rejected the password."""


class AccountBlockedError(BusinessError):
    """EU Login blocked the user after too many wrong passwords; a new password is needed."""


class UnknownUserError(BusinessError):
    """EU Login does not know the e-mail address: every further try would count against nobody we know."""


class AccountHeldError(BusinessError):
    """The account's EU Login identity is on hold after a refusal; a person must release it first."""


class SecondFactorRefusedError(BusinessError):
    """EU Login refused the second factor (one-time password or passkey)."""


class MethodNotAllowedError(BusinessError):
    """The verification method is not set up for the account, or too weak for the service."""


class ApprovalTimeoutError(BusinessError):
    """The EU Login app request was not approved before it expired."""

    exit_code = 4


class AccountInactiveError(BusinessError):
    """TRACES shows the account as inactive (more than four months without a sign-in)."""

    exit_code = 5


class AccountSuspendedError(BusinessError):
    """TRACES suspended the user after an EU Login two-factor reset."""

    exit_code = 6


class OperatorElsewhereError(BusinessError):
    """The operator is in TRACES, but only with another (non-plant) authority: the guide says to e-mail."""

    exit_code = 9


class AmbiguousOperatorError(BusinessError):
    """Several operators match the company and the organisation number does not single one out."""

    exit_code = 10


class OperatorNotFoundError(BusinessError):
    """The company is not in TRACES and --create-if-missing was not given."""

    exit_code = 11


class NotAdministratorError(BusinessError):
    """TRACES refuses the users screens: the account administers no operator."""

    exit_code = 12


class TransientError(TracesctlError):
    """The portal or the network failed in a way that may pass: retried with backoff."""

    exit_code = 7


class PortalUnavailableError(TransientError):
    """The portal answered with a server error (5xx)."""


class PortalTimeoutError(TransientError):
    """A page or element did not arrive in time."""


class SessionDroppedError(TransientError):
    """The portal ended the session in the middle of a flow."""
