"""Playwright traces scrubbed by an allowlist: keep what debugging needs, drop every value.

A blocklist of known secrets always misses an encoding (a password with `*` form-encoded, a
session cookie nobody registered, a reset token in a hidden input). So a kept trace holds only:
URLs without query values or fragments, methods, status codes, timings, sizes, header names
(and the values of a few harmless headers), the element structure and labels of DOM snapshots,
action names and selectors. It drops: the resources (request and response bodies), every
request body and form value, Cookie, Set-Cookie and Authorization headers, every query value,
every input's `value` and every textarea's text, and the values actions typed or returned.
What is left still goes through `redact` (registered secrets, ticket-shaped strings).
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from automation.secrets import redact

KEPT_MEMBERS = re.compile(r"^[^/]*\.(trace|network|stacks)$")  # resources/* (bodies) are dropped
DROPPED = "<dropped>"
SECRET_HEADERS = {"cookie", "set-cookie", "authorization", "proxy-authorization"}
SAFE_HEADERS = {"accept", "accept-encoding", "accept-language", "cache-control", "connection", "content-encoding",
                "content-length", "content-type", "date", "host", "location", "referer", "server", "user-agent"}
# Keys whose values are what a person typed, a page returned or a body carried.
DROPPED_KEYS = {"value", "values", "text", "arg", "args", "files", "payloads", "postData", "_sha1", "_file",
                "localStorage", "storageState", "expression", "source"}
KEPT_TEXT_KEYS = {"message", "title", "method", "class", "type", "name", "selector", "apiName", "messageType"}
VALUE_ATTRIBUTES = {"value", "__playwright_value_"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "data"}
EMBEDDED_URL = re.compile(r"https?://[^\s\"'<>]+")


def scrub_url(url: str) -> str:
    """The URL with every query value and the fragment removed (the names stay)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return DROPPED
    query = "&".join(f"{name}=" for name, _ in parse_qsl(parts.query, keep_blank_values=True))
    if parts.query and not query:
        query = DROPPED
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def scrub_text(text: str) -> str:
    return redact(EMBEDDED_URL.sub(lambda m: scrub_url(m.group(0)), text))


def _headers(headers: list[Any]) -> list[Any]:
    kept = []
    for header in headers:
        if not isinstance(header, dict):
            continue
        name = str(header.get("name", ""))
        if name.lower() in SECRET_HEADERS:
            continue
        value = str(header.get("value", ""))
        value = scrub_url(value) if name.lower() in {"location", "referer"} else value
        kept.append({"name": name, "value": scrub_text(value) if name.lower() in SAFE_HEADERS else DROPPED})
    return kept


def scrub_event(value: Any, key: str = "") -> Any:
    """One JSON value of a trace event, scrubbed by the rules above."""
    if isinstance(value, str):
        if key.lower().endswith("url") or key in {"url", "frameUrl", "redirectURL"}:
            return scrub_url(value)
        return scrub_text(value)
    if isinstance(value, list):
        return [scrub_event(item, key) for item in value]
    if not isinstance(value, dict):
        return value  # numbers, booleans, null: timings and sizes
    scrubbed: dict[str, Any] = {}
    for name, item in value.items():
        if name in DROPPED_KEYS:
            continue
        if name == "cookies":
            scrubbed[name] = []
        elif name == "headers" and isinstance(item, list):
            scrubbed[name] = _headers(item)
        elif name == "queryString" and isinstance(item, list):
            scrubbed[name] = [{"name": str(q.get("name", "")), "value": ""} for q in item if isinstance(q, dict)]
        elif name == "html":
            scrubbed[name] = scrub_dom(item)
        else:
            scrubbed[name] = scrub_event(item, name)
    if value.get("type") == "console" and "text" in value:
        scrubbed["text"] = scrub_text(str(value["text"]))
    return scrubbed


def scrub_dom(node: Any) -> Any:
    """A DOM snapshot node: [TAG, {attributes}, ...children], a text, or a reference [[n, m]].
    Structure, labels and texts stay; input values, textarea texts and URL query values go."""
    if isinstance(node, str):
        return scrub_text(node)
    if not isinstance(node, list) or not node or not isinstance(node[0], str):
        return node  # a reference to an earlier snapshot's node: numbers only
    tag, rest = node[0], node[1:]
    attributes: dict[str, Any] = {}
    if rest and isinstance(rest[0], dict):
        for name, raw in rest[0].items():
            if name.lower() in VALUE_ATTRIBUTES:
                continue
            text = str(raw)
            attributes[name] = scrub_url(text) if name.lower() in URL_ATTRIBUTES else scrub_text(text)
        rest = rest[1:]
    children = [] if tag.upper() == "TEXTAREA" else [scrub_dom(child) for child in rest]
    return [tag, attributes, *children]


def _scrub_json_lines(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        if not line.strip():
            lines.append(line)
            continue
        try:
            lines.append(json.dumps(scrub_event(json.loads(line)), ensure_ascii=False))
        except json.JSONDecodeError:
            continue  # a line we cannot read is a line we cannot vouch for
    return "\n".join(lines)


def scrub_trace(source: Path, target: Path) -> None:
    """Copy the trace zip `source` to `target`, keeping only what the allowlist lets through."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if not KEPT_MEMBERS.match(item.filename):
                continue
            text = zin.read(item).decode("utf-8", errors="replace")
            json_lines = item.filename.endswith((".trace", ".network"))
            text = _scrub_json_lines(text) if json_lines else scrub_text(text)
            zout.writestr(item.filename, text.encode("utf-8"))
