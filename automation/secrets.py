"""Secret values and the registry that keeps them out of logs, reports and traces.

Every secret the toolkit handles (passwords, one-time passwords, passkey private keys, CAS
tickets) is wrapped in `Secret` when it enters the program. Wrapping registers the value, so the
log processor and the trace scrubber can replace it wherever it turns up, even inside a URL.
"""

from __future__ import annotations

import json
import re
import threading
from urllib.parse import quote, quote_plus

MASK = "<SECRET>"

# Values that are secret by shape, whoever produced them: CAS tickets and session cookies.
SECRET_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\b(?:ST|TGT|PGT)-[A-Za-z0-9._-]{6,}"),
    re.compile(r"(?i)(ticket=)[^&\s\"']+"),
    re.compile(r"(?i)((?:CASTGC|JSESSIONID)=)[^;\s\"']+"),
)

_registry: set[str] = set()
_lock = threading.Lock()


def register(value: str) -> None:
    """Remember `value` as secret (short values are ignored: masking "1" would mask every digit)."""
    if len(value) >= 4:
        # The same secret as it appears in a form body, a URL or a JSON string.
        variants = {value, quote_plus(value), quote(value, safe=""), json.dumps(value)[1:-1]}
        with _lock:
            _registry.update(variants)


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
