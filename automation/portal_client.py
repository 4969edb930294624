"""The offline portal's control API, as one client: tests, the pytest plugin, the demo, the
sign-up's captcha reader, the offline mailbox and the benchmarks all use this class.

It is a client, not the portal: standard library only (urllib), outside automation/stub, so the
toolkit's offline mailbox and captcha reader use it without importing the portal (import-linter). `call()`
answers the JSON body, or `{"status": CODE}` for an HTTP error, because the control API says 404
until there is something to act on (a pending PIN request, a QR code) and callers poll on that.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


class PortalClient:
    """The control API of the offline portal at `base_url` (README: Control API)."""

    def __init__(self, base_url: str, timeout_s: float = 10) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s

    def call(self, path: str, body: dict[str, Any] | None = None, query: dict[str, str] | None = None) -> Any:
        """GET `path` (POST when there is a body); the answer's JSON, or {"status": code} on an HTTP error."""
        url = f"{self.base_url}/__stub__/{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            return {"status": exc.code}

    # --- state and arrangement --------------------------------------------------------------

    def reset(self) -> None:
        self.call("reset", {})

    def state(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("state")
        return result

    def account(self, email: str) -> dict[str, Any]:
        result: dict[str, Any] = self.state()["accounts"][email]
        return result

    def form_count(self, name: str) -> int:
        return int(self.state()["forms"].get(name, 0))

    def advance_clock(self, days: float) -> None:
        self.call("clock", {"advance_days": days})

    def drift(self, locale: str, key: str, label: str) -> None:
        """Rename one label of the portal's screens (`clear_drift` undoes every rename)."""
        self.call("drift", {"locale": locale, "key": key, "label": label})

    def drift_id(self, old: str, new: str) -> None:
        """Serve the element whose id (or name) is `old` with `new` instead, on every screen."""
        self.call("drift", {"id": old, "to": new})

    def clear_drift(self) -> None:
        self.call("drift", {})

    def faults(self, **faults: float) -> None:
        self.call("faults", faults)

    def settings(self, **settings: Any) -> None:
        self.call("settings", settings)

    def add_account(self, **account: Any) -> Any:
        return self.call("accounts", account)

    def update_account(self, email: str, **changes: Any) -> Any:
        return self.call(f"accounts/{email}", changes)

    def end_sessions(self, email: str) -> None:
        self.call("sessions/end", {"username": email})

    def withdraw_request(self, email: str, operator_id: int) -> None:
        self.call("traces/withdraw", {"username": email, "operator_id": operator_id})

    def approve_request(self, email: str, operator_id: int) -> Any:
        return self.call("traces/approve", {"username": email, "operator_id": operator_id})

    # --- what a person would read elsewhere: the captcha, the phone, the mailbox ---------------

    def captcha(self) -> str:
        return str(self.call("captcha")["code"])

    def app_code(self, email: str, device: str | None = None) -> str:
        return str(self.call("app/code", query={"username": email, **({"device": device} if device else {})})["code"])

    def mailbox(self, to: str) -> list[dict[str, str]]:
        mails: list[dict[str, str]] = self.call("mailbox", query={"to": to})
        return mails
