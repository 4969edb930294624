"""One-time passwords for the EU Login app's QR-code method, and the rule that no window is reused.

Sources (accounts file, `otp_source`):
  prompt              a person types the code the app shows
  command:<command>   a command prints the code (for a device bridge or a password manager)
  totp-env:<VAR>      RFC 6238 from the secret in VAR (pyotp); how the offline portal's app works
"""

from __future__ import annotations

import binascii
import getpass
import os
import re
import shlex
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from typing import Protocol

import pyotp

from automation.errors import ConfigError, MissingSettingError, SecondFactorRefusedError
from automation.log import get_logger
from automation.secrets import Secret

PERIOD_S = 30
log = get_logger(__name__)


class OtpSource(Protocol):
    def code(self, window: int) -> Secret:
        """A code for the 30-second `window` (sources that cannot choose give the current one)."""
        ...


class PromptSource:
    def code(self, window: int) -> Secret:
        return Secret(getpass.getpass("One-time password from the EU Login app: ").strip())


class CommandSource:
    def __init__(self, command: str) -> None:
        self.command = command

    def code(self, window: int) -> Secret:
        try:
            done = subprocess.run(shlex.split(self.command), capture_output=True, text=True, timeout=60, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            # Words without the command line, which may hold a secret (a TOTP seed as an argument).
            raise SecondFactorRefusedError(f"the one-time-password command failed: {_failure(exc)}") from None
        code = done.stdout.strip()
        if not re.fullmatch(r"\d{6,8}", code):
            raise SecondFactorRefusedError("the one-time-password command did not print a 6-8 digit code")
        return Secret(code)


class TotpEnvSource:
    def __init__(self, variable: str, environ: Mapping[str, str]) -> None:
        secret = environ.get(variable, "")
        if not secret.strip():
            raise MissingSettingError(f"the one-time-password secret variable {variable} is not set or empty")
        Secret(secret)  # registered, so the seed never shows in a log or a trace
        try:
            self._totp = pyotp.TOTP(secret.strip())
            self._totp.at(0)  # decodes the seed now, not mid-sign-in
        except (binascii.Error, ValueError, TypeError):
            raise ConfigError(f"the one-time-password secret in {variable} is not base32 (A-Z, 2-7)") from None

    def code(self, window: int) -> Secret:
        return Secret(self._totp.at(window * PERIOD_S))


def parse_source(spec: str, environ: Mapping[str, str] | None = None) -> OtpSource:
    kind, _, rest = spec.partition(":")
    if kind == "prompt":
        return PromptSource()
    if kind == "command" and rest:
        return CommandSource(rest)
    if kind == "totp-env" and rest:
        return TotpEnvSource(rest, os.environ if environ is None else environ)
    raise ConfigError(f"unknown one-time-password source {spec!r}")


class OtpWindows:
    """The last 30-second window a code was submitted in, per device; never submit in it again."""

    def __init__(self, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._clock = clock
        self._sleep = sleep
        self._used: dict[str, int] = {}
        self._lock = threading.Lock()

    def fresh_window(self, device: str) -> int:
        """The current window if unused, else wait for the next one and return it."""
        with self._lock:
            last = self._used.get(device)
        now = self._clock()
        window = int(now // PERIOD_S)
        if last is not None and window <= last:
            wait_s = (last + 1) * PERIOD_S - now
            log.info("waiting for a new one-time-password window", seconds=round(wait_s, 1))
            # The one legitimate fixed wait: a new code exists only when the next window opens.
            self._sleep(wait_s)
            window = last + 1
        return window

    def forget(self) -> None:
        """Forget every device's last window (the offline portal's reset forgets its side too)."""
        with self._lock:
            self._used.clear()

    def mark_used(self, device: str, window: int) -> None:
        with self._lock:
            self._used[device] = max(window, self._used.get(device, window))


# One per process: every sign-in of a device in this process shares it.
WINDOWS = OtpWindows()


def _failure(error: OSError | subprocess.SubprocessError) -> str:
    if isinstance(error, subprocess.TimeoutExpired):
        return f"it did not finish within {error.timeout:g} s"
    if isinstance(error, subprocess.CalledProcessError):
        return f"it exited with status {error.returncode}"
    if isinstance(error, OSError):
        return error.strerror or "it cannot be run"
    return "it did not run"
