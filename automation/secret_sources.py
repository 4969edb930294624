"""Where an account's secrets come from: an environment variable, a 0600 file, a command or the keyring.

A command is the git credential-helper / msmtp `passwordeval` pattern: an argument list (never a
shell line: no quoting mistakes, no injection through a file name), run with a timeout, its
standard error thrown away (a failing secret tool may echo what it was reading), its standard
output with one trailing newline removed. The value is wrapped in `Secret` (so registered for
masking) before anything else, a check or an error message, sees it.

The keyring is the `keyring` library's default backend (the desktop's Secret Service, macOS
Keychain, Windows Credential Locker), with the service named in the accounts file and the account's
e-mail as user name: `keyring set tracesctl anna@example.se`.

Values are read once per process (keep-alive checks every account before its browser starts, then
signs in with what it read); `fresh=True` reads again (reset-password, to see whether the source
already gives the new password).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from automation.error_words import in_words
from automation.errors import AccountsFileError, SecretSourceError
from automation.secrets import Secret
from automation.values import check_text

Kind = Literal["env", "file", "command", "keyring"]
PASSWORD_KEYS: dict[str, Kind] = {"password_env": "env", "password_file": "file", "password_command": "command",
                                  "password_keyring": "keyring"}
PASSKEY_KEYS: dict[str, Kind] = {"passkey_file": "file", "passkey_command": "command", "passkey_keyring": "keyring"}
MAX_ARGUMENTS = 64
MAX_OUTPUT_BYTES = 1 << 16  # a passkey credential's JSON is a few hundred bytes; a password far less


@dataclass(frozen=True)
class SecretSource:
    """One secret's source, as the accounts file names it (never the value)."""

    kind: Kind
    key: str  # the accounts file's setting: password_command, passkey_keyring, ...
    command: tuple[str, ...] = ()
    keyring_service: str = ""
    keyring_user: str = ""
    timeout_s: float = 30.0

    @property
    def where(self) -> str:
        """Where the secret lives, for messages ("the command `vault kv get ...`"); never the value."""
        if self.kind == "command":
            return f"the command `{' '.join(self.command)}` ({self.key})"
        return f"the keyring (service {self.keyring_service!r}, user {self.keyring_user!r}; {self.key})"

    def read(self, environ: Mapping[str, str], fresh: bool = False) -> Secret:
        """The secret, as a registered `Secret`; SecretSourceError (exit 2) naming the source otherwise."""
        cache_key = (self.kind, self.command, self.keyring_service, self.keyring_user)
        with _cache_lock:
            if not fresh and cache_key in _cache:
                return _cache[cache_key]
        value = run_command(self.command, self.timeout_s, self.where, environ) if self.kind == "command" \
            else keyring_get(self.keyring_service, self.keyring_user, self.where)
        with _cache_lock:
            _cache[cache_key] = value
        return value


_cache: dict[tuple[str, tuple[str, ...], str, str], Secret] = {}
_cache_lock = threading.Lock()


def forget_read_secrets() -> None:
    """Forget every value read (tests; a long-lived process that wants the sources read again)."""
    with _cache_lock:
        _cache.clear()


def chosen_source(table: Mapping[str, object], keys: Mapping[str, Kind], where: str) -> str | None:
    """The one setting of `keys` given in `table`, None for none; two or more is a config error."""
    given = [key for key in keys if key in table]
    if len(given) > 1:
        raise AccountsFileError(f"{where}: set one of {', '.join(keys)}, not {' and '.join(given)} (a secret has "
                                "exactly one source)")
    return given[0] if given else None


def parse_command(value: object, key: str, where: str) -> tuple[str, ...]:
    """A TOML array of strings: the program and its arguments, run without a shell."""
    if isinstance(value, str):
        raise AccountsFileError(
            f"{where}: {key} must be an argument list such as [\"vault\", \"kv\", \"get\", \"-field=password\", "
            f"\"secret/tracesctl/lars\"], not a string: it is run without a shell, so nothing would split it")
    if not isinstance(value, list) or not value or len(value) > MAX_ARGUMENTS \
            or not all(isinstance(part, str) for part in value):
        raise AccountsFileError(f"{where}: {key} must be a list of 1 to {MAX_ARGUMENTS} strings (the program, then "
                                "its arguments)")
    if not value[0].strip():
        raise AccountsFileError(f"{where}: {key}'s first item must name the program")
    # Arguments may hold any character a program takes (a printf format's newline), but a NUL, which
    # no argument can carry, and no runaway length.
    if any("\x00" in part or len(part) > 4096 for part in value):
        raise AccountsFileError(f"{where}: {key} has an argument with a NUL character or over 4096 characters")
    return tuple(value)


def parse_keyring_service(value: object, key: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise AccountsFileError(f"{where}: {key} must be the keyring's service name, such as \"tracesctl\"")
    return check_text(value.strip(), f"{where}: {key}", 200, AccountsFileError)


def run_command(argv: Sequence[str], timeout_s: float, where: str, environ: Mapping[str, str]) -> Secret:
    """The command's standard output less one trailing newline, as a Secret."""
    try:
        # start_new_session: on a timeout the whole group is killed, so a helper's child that keeps
        # the output pipe open cannot make this wait past the timeout. stdin: nothing to read from
        # (an unattended run has no terminal; a prompt would hang until the timeout).
        process = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, env=dict(environ), start_new_session=True)
    except FileNotFoundError:
        raise SecretSourceError(f"{where}: the program {argv[0]!r} was not found") from None
    except OSError as exc:
        raise SecretSourceError(f"{where}: the program {argv[0]!r} cannot be run: "
                                f"{exc.strerror or type(exc).__name__}") from None
    with process:
        try:
            output, _ = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise SecretSourceError(f"{where} did not finish within {timeout_s:g} s (TRACESCTL_SECRET_TIMEOUT_S); "
                                    "nothing was sent") from None
    text = output[:MAX_OUTPUT_BYTES + 1].decode("utf-8", errors="replace")
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith("\n"):
        text = text[:-1]
    secret = Secret(text)  # registered before any check below can echo it
    if process.returncode != 0:
        raise SecretSourceError(f"{where} failed with exit status {process.returncode} (its error output is not "
                                "shown, as it may hold the secret: run the command yourself to see it); nothing "
                                "was sent")
    if len(output) > MAX_OUTPUT_BYTES:
        raise SecretSourceError(f"{where} printed more than {MAX_OUTPUT_BYTES} bytes; a secret is far shorter")
    if not secret.reveal():
        raise SecretSourceError(f"{where} printed nothing")
    return secret


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended between the timeout and the kill
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def keyring_get(service: str, user: str, where: str) -> Secret:
    import keyring
    from keyring.errors import KeyringError

    try:
        value = keyring.get_password(service, user)
    except KeyringError as exc:  # no backend (a server without a desktop), a locked collection
        raise SecretSourceError(f"{where}: the keyring cannot be read ({in_words(exc)}); on a server use "
                                "password_command or password_file instead") from None
    if value is None:
        raise SecretSourceError(f"{where}: no such entry; store it with `keyring set {service} {user}`")
    secret = Secret(value)
    if not value:
        raise SecretSourceError(f"{where}: the entry is empty")
    return secret


def keyring_set(service: str, user: str, value: Secret) -> None:
    """Store `value` in the keyring (reset-password's new password)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(service, user, value.reveal())
    except KeyringError as exc:
        raise SecretSourceError(f"the keyring (service {service!r}, user {user!r}) cannot be written "
                                f"({in_words(exc)})") from None
