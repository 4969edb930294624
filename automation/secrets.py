"""Secret values and the registry that keeps them out of logs, reports and traces.

Every secret the toolkit handles (passwords, one-time passwords, passkey private keys, CAS
tickets) is wrapped in `Secret` when it enters the program. Wrapping registers the value, so the
log processor and the trace scrubber can replace it wherever it turns up, even inside a URL.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import MutableMapping
from urllib.parse import quote, quote_plus

MASK = "<SECRET>"

# Cookies secret by their name: every __Secure- and __Host- cookie (EU Login's live cookies are
# __Secure-CASTGC, __Secure-ECAS_SESSIONID, __Secure-ECAS_AAP_1), EU Login's older names, TRACES' session.
SECRET_COOKIE_NAME = r"(?:__(?:Secure|Host)-[\w.-]+|CASTGC|ECAS_[\w.-]+|JSESSIONID)"
_SECRET_COOKIE = re.compile(rf"(?i)^{SECRET_COOKIE_NAME}$")

# Values that are secret by shape, whoever produced them: CAS tickets and session cookies.
SECRET_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\b(?:ST|TGT|PGT)-[A-Za-z0-9._-]{6,}"),
    re.compile(r"(?i)(ticket=)[^&\s\"']+"),
    re.compile(rf"(?i)(\b{SECRET_COOKIE_NAME}=)[^;\s\"']+"),
)


def is_secret_cookie(name: str) -> bool:
    """Whether a cookie (or a log field) of this name holds a session secret."""
    return bool(_SECRET_COOKIE.match(name))

_registry: set[str] = set()
_variables: set[str] = set()  # names of environment variables that hold secrets
_lock = threading.Lock()
_environ_lock = threading.Lock()
# Variables secret by their name, whoever set them (a .env of several accounts' passwords).
SECRET_VARIABLE_NAME = re.compile(r"(?i)(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE|CREDENTIAL|_PIN$|^PIN_|^PW_|_PW$)")


def register(value: str) -> None:
    """Remember `value` as secret (short values are ignored: masking "1" would mask every digit)."""
    if len(value) >= 4:
        # The same secret as it appears in a form body, a URL or a JSON string.
        variants = {value, quote_plus(value), quote(value, safe=""), json.dumps(value)[1:-1]}
        with _lock:
            _registry.update(variants)


def register_variable(name: str) -> None:
    """Remember that the environment variable `name` holds a secret (a password_env, a TOTP seed)."""
    with _lock:
        _variables.add(name)


def withdraw_secret_variables(environ: MutableMapping[str, str]) -> list[str]:
    """Remove every secret variable from `environ` (the process environment, before Playwright
    starts, so its driver, Chromium and Chromium's crash handler never inherit a password).
    Secret: named by the accounts file or a flag, named like one, or holding a value the program
    has read as a secret. Returns the names removed; their values were read before."""
    with _lock:
        named = set(_variables)
        values = set(_registry)
    with _environ_lock:  # keep-alive workers start their drivers from several threads
        gone = [name for name, value in list(environ.items())
                if name in named or SECRET_VARIABLE_NAME.search(name) or (len(value) >= 4 and value in values)]
        for name in gone:
            environ.pop(name, None)
    return sorted(gone)


def environment_without_secrets() -> dict[str, str]:
    """A copy of the process environment with every secret variable withdrawn."""
    with _environ_lock:
        copy = dict(os.environ)
    withdraw_secret_variables(copy)
    return copy


def registered() -> list[str]:
    with _lock:
        # Longest first, so a secret that contains another is masked whole.
        return sorted(_registry, key=len, reverse=True)


def redact(text: str) -> str:
    """`text` with every registered secret and every secret-shaped value masked."""
    for value in registered():
        if value in text:
            text = text.replace(value, MASK)
    for pattern in SECRET_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + MASK, text)
    return text


class Secret:
    """A secret string: prints as <SECRET>; `reveal()` is the one way to the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        register(value)

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK
