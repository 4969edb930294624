"""TRACES status screens shown instead of home after sign-in: inactive, suspended, authentication failed."""

from __future__ import annotations

from typing import ClassVar

from playwright.sync_api import Locator, Page

from automation.catalog import Catalog
from automation.errors import AccountInactiveError, AccountSuspendedError, SessionDroppedError, TracesctlError
from automation.pages.base import LABEL_GRACE_MS, BasePage


class StatusPage(BasePage):
    INACTIVE = "traces.status.inactive"
    SUSPENDED = "traces.status.suspended"
    AUTH_FAILED = "traces.status.auth_failed"
    KINDS: ClassVar[dict[str, str]] = {"inactive": INACTIVE, "suspended": SUSPENDED, "auth_failed": AUTH_FAILED}
    ready = INACTIVE  # the kind given decides which one (below)

    def __init__(self, page: Page, catalog: Catalog, timeout_ms: float = 30_000, *, kind: str,
                 grace_ms: float = LABEL_GRACE_MS) -> None:
        super().__init__(page, catalog, timeout_ms, grace_ms=grace_ms)
        self.kind = kind

    def _ready_locator(self) -> Locator:
        return self._locator(self.KINDS[self.kind])

    def error(self, email: str) -> TracesctlError:
        """What the status means for the flow that signed in."""
        if self.kind == "inactive":
            return AccountInactiveError(f"inactive: {email} has not used TRACES for more than 4 months; "
                                        "ask the competent authority to reactivate it")
        if self.kind == "suspended":
            return AccountSuspendedError("suspended: ask an administrator of the operator to unsuspend the user")
        return SessionDroppedError("TRACES did not accept the EU Login ticket")
