"""TRACES "Edit Your Profile": the user's roles and their status, "Request new role" (guide G)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

from playwright.sync_api import Locator

from automation.pages.base import BasePage

if TYPE_CHECKING:
    from automation.pages.traces.role_selection import RoleSelectionPage


@dataclass(frozen=True)
class RoleRow:
    operator: str
    identifiers: list[str]
    status: str  # pending | authorised | the portal's own word when neither


class ProfilePage(BasePage):
    @property
    def heading(self) -> Locator:
        return self._locator("traces.profile.heading")

    @property
    def sent_message(self) -> Locator:
        return self._locator("traces.profile.sent")

    def wait_until_loaded(self) -> Self:
        self._wait_for("traces.profile.heading")
        return self

    def roles(self) -> list[RoleRow]:
        table = self._locator("traces.profile.roles")
        statuses = {self.catalog.text("traces.profile.status_pending"): "pending",
                    self.catalog.text("traces.profile.status_authorised"): "authorised"}
        rows = []
        for row in self.catalog.locator(table, "traces.search.row").all()[1:]:
            cells = [c.inner_text().strip() for c in self.catalog.locator(row, "traces.search.cell").all()]
            if len(cells) < 4:
                continue
            identifiers = [line.strip() for line in cells[1].splitlines() if line.strip()]
            rows.append(RoleRow(cells[0], identifiers, statuses.get(cells[3], cells[3])))
        return rows

    def request_new_role(self) -> RoleSelectionPage:
        from automation.pages.traces.role_selection import RoleSelectionPage

        self._locator("traces.profile.request_new_role").click()
        return RoleSelectionPage(self.page, self.catalog, self.timeout_ms).wait_until_loaded()
