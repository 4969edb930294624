"""Text for a terminal: what the portal wrote (messages, names, labels) is shown, never obeyed.

A portal's text may hold an escape sequence (ESC [ 2 J clears the screen, ESC ] 0 ; retitles the
window, ESC ] 8 ; hides a link), a C1 control (U+009B is CSI on its own), a bidirectional override that
reorders what follows (U+202E), or a zero-width character that hides a difference. Each is written
as its Python escape (\\x1b, \\u202e), so a person sees that it is there and the terminal does nothing.
"""

from __future__ import annotations

import unicodedata

# Control (Cc) and format (Cf: zero-width, bidirectional, soft hyphen, BOM) characters, plus the
# line and paragraph separators (Zl, Zp), which some terminals treat as line breaks.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp"})


_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(text: str) -> str:
    """`text` on one line, every control or invisible character (line breaks too) as an escape."""
    return "".join(_escape(c) if unicodedata.category(c) in _HIDDEN else c for c in text)


def shown_lines(text: str) -> str:
    """`text` with its line breaks kept and everything else `shown` escapes escaped, line by line."""
    return "\n".join(shown(line) for line in text.split("\n"))


def json_shown(document: str) -> str:
    """A JSON document for a terminal: json.dumps escapes C0 controls itself; the rest (C1 controls,
    bidirectional and zero-width characters) become \\uXXXX escapes, which JSON reads back the same."""
    out = []
    for char in document:
        code = ord(char)
        # Printable ASCII, and the white space json.dumps leaves between values, as they are.
        if 0x20 <= code < 0x7f or char in "\n\t\r" or unicodedata.category(char) not in _HIDDEN:
            out.append(char)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:  # outside the BMP: JSON spells it as a surrogate pair
            high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
            out.append(f"\\u{high:04x}\\u{low:04x}")
    return "".join(out)


_FULL_WIDTH: list[bool] = [False]  # `--wide`: tables keep every cell whole, also on a terminal


def set_full_width(full: bool) -> None:
    _FULL_WIDTH[0] = full


def fit_width() -> int | None:
    """The width a table must fit: the terminal's, when standard output is one and `--wide` was not
    given; None (no limit) for a pipe or a file, whose reader wants every character."""
    import shutil
    import sys

    if _FULL_WIDTH[0] or not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size((160, 24)).columns
