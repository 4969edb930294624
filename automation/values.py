"""One check for every text value that reaches the portal (passwords, e-mails, PINs, company fields):
printable, of a sane length. A NUL, a control character, a zero-width or bidirectional character is
never typed by a person on purpose; sent to EU Login it would only cost one of the five attempts,
or create an operator whose name looks like another's."""

from __future__ import annotations

import unicodedata

from automation.errors import ConfigError

# Bounds well above anything real (EU Login passwords, e-mail addresses per RFC 5321's 254), far
# below what would be a pasted file.
MAX_PASSWORD = 256
MAX_EMAIL = 254
MAX_FIELD = 200  # a company's name, street, city, phone


def unprintable(value: str) -> str | None:
    """The first character a person cannot see or type (Cc controls, Cf format characters such as
    zero-width and bidirectional marks, unassigned, surrogates, separators other than space), or None."""
    for char in value:
        category = unicodedata.category(char)
        if category in {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"} or (category == "Zs" and char != " "):
            return char
    return None


def check_text(value: str, what: str, max_length: int, error: type[ConfigError] = ConfigError) -> str:
    """`value` when it is printable and at most `max_length` characters, else `error` naming `what`
    (never echoing the value: it may be a password)."""
    if len(value) > max_length:
        raise error(f"{what} is longer than {max_length} characters")
    bad = unprintable(value)
    if bad is not None:
        name = unicodedata.name(bad, "")
        raise error(f"{what} holds an invisible or control character (U+{ord(bad):04X}{' ' + name if name else ''})")
    return value
