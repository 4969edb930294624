"""TRACES: a user's page, with one box per requested authority (guide E3-E4, F1)."""

from __future__ import annotations

from typing import Self

from automation.pages.base import BasePage


class UserPage(BasePage):
    HEADING = "traces.user.heading"
    BOX = "traces.user.box"
    BOXES = "traces.user.boxes"
    APPROVE = "traces.user.approve"
    ADMIN = "traces.user.admin"
    SAVE = "traces.user.save"
    SAVED = "traces.user.saved"
    SUSPENDED = "traces.user.suspended"
    UNSUSPEND = "traces.user.unsuspend"
    UNSUSPENDED = "traces.user.unsuspended"
    ready = HEADING

    def has_box(self, operator: str) -> bool:
        return self._locator(self.BOX, operator=operator).count() > 0

    def approved_operators(self) -> list[str]:
        """The operators whose box on this page is approved and saved."""
        names = [box.get_attribute("aria-label") or "" for box in self._locator(self.BOXES).all()]
        return [name for name in names if name and self.is_approved(name)]

    def is_approved(self, operator: str) -> bool:
        """Approved and saved: the check is pressed and can no longer be clicked."""
        check = self._require(self.APPROVE, operator=operator)
        return check.is_disabled() and check.get_attribute("aria-pressed") == "true"

    def is_administrator(self, operator: str) -> bool:
        return self._require(self.ADMIN, operator=operator).get_attribute("aria-pressed") == "true"

    @property
    def is_suspended(self) -> bool:
        return self._locator(self.SUSPENDED).is_visible()

    def approve(self, operator: str) -> Self:
        """The green check of the authority: the whole box turns green (not kept until saved)."""
        self._require(self.APPROVE, operator=operator).click()
        return self

    def toggle_administrator(self, operator: str) -> Self:
        self._require(self.ADMIN, operator=operator).click()
        return self

    def save(self) -> Self:
        """"Save changes", top right; returns once the portal confirms and the page shows the saved state."""
        with self.page.expect_navigation():
            self._require(self.SAVE).click()
        self._wait_for(self.SAVED)
        return self

    def unsuspend(self) -> Self:
        with self.page.expect_navigation():
            self._require(self.UNSUSPEND).click()
        self._wait_for(self.UNSUSPENDED)
        return self

    def reload(self) -> Self:
        self.page.reload()
        return self.wait_until_loaded()
