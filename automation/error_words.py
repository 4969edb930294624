"""Errors in words. What a person reads (a command's last line, a keep-alive row's detail, a log line's
`error` or `reason`) says what happened, as a tool says it: never a Python class's name
("TimeoutError", "TargetClosedError"), a repr, or the Playwright call a message starts with
("Locator.click: ..."). Playwright is not imported: its errors are told by their module and words.
"""

from __future__ import annotations

import re

TIMEOUT = re.compile(r"Timeout (\d+(?:\.\d+)?)ms exceeded")
WAITING = re.compile(r"^\s*-\s*waiting for (.+?)\s*$")
NAVIGATING = re.compile(r'^\s*-\s*navigating to "([^"]+)"')
NET = re.compile(r"net::(ERR_[A-Z_]+)(?: at (\S+))?")
# "Locator.click: ", "Page.goto: ", "BrowserType.connect: ", "Frame.wait_for_selector: "
CALL_PREFIX = re.compile(r"^(?:[A-Z][A-Za-z]*\.)?[a-z][A-Za-z_]*: ")
CLOSED = ("target page, context or browser has been closed", "browser has been closed", "target closed",
          "browser has disconnected", "connection closed", "browser closed")
NET_WORDS = {
    "ERR_CONNECTION_REFUSED": "the connection was refused",
    "ERR_CONNECTION_RESET": "the connection was reset",
    "ERR_CONNECTION_CLOSED": "the connection was closed",
    "ERR_NAME_NOT_RESOLVED": "the host name is unknown",
    "ERR_INTERNET_DISCONNECTED": "the network is down",
    "ERR_ADDRESS_UNREACHABLE": "the address cannot be reached",
    "ERR_TIMED_OUT": "the connection timed out",
    "ERR_CERT_AUTHORITY_INVALID": "its certificate is not trusted",
    "ERR_UNSAFE_PORT": "Chromium refuses that port",
}


def is_playwright_error(error: BaseException) -> bool:
    return type(error).__module__.split(".")[0] == "playwright"


def playwright_words(error: BaseException) -> str:
    """A Playwright error as a sentence: "timed out after 30 s waiting for get_by_role(...)", "the
    browser closed", "the portal could not be reached at URL: the connection was refused"."""
    text = str(error).strip()
    lines = text.splitlines()
    if type(error).__name__ == "TargetClosedError" or any(words in text.lower() for words in CLOSED):
        return "the browser closed"
    timeout = TIMEOUT.search(text)
    if timeout or type(error).__name__ == "TimeoutError":
        after = f" after {float(timeout.group(1)) / 1000:g} s" if timeout else ""
        waits = [m.group(1) for line in lines[1:] if (m := WAITING.match(line))]
        navigations = [m.group(1) for line in lines[1:] if (m := NAVIGATING.match(line))]
        if navigations:
            return f"timed out{after} waiting for {navigations[0]} to load"
        return f"timed out{after}" + (f" waiting for {waits[0]}" if waits else "")
    net = NET.search(text)
    if net:
        where = f" at {net.group(2)}" if net.group(2) else ""
        why = NET_WORDS.get(net.group(1), f"Chromium's network error {net.group(1)}")
        return f"the portal could not be reached{where}: {why}"
    first = CALL_PREFIX.sub("", lines[0]) if lines else ""
    return first or "the browser failed without saying why"


def in_words(error: BaseException) -> str:
    """What went wrong, in words, on one line (secrets are the caller's to redact)."""
    from automation.errors import TracesctlError

    if isinstance(error, TracesctlError):
        return str(error)
    if is_playwright_error(error):
        return playwright_words(error)
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    if isinstance(error, TimeoutError):
        return "timed out"
    lines = str(error).strip().splitlines()
    return lines[0] if lines else "an unexpected error, without a message"


def json_words(error: ValueError | RecursionError) -> str:
    """Why a text is not JSON, by place, never echoing the text (it may be a credential)."""
    import json

    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg.lower()} at line {error.lineno}, column {error.colno}"
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return "not valid JSON"
