"""TRACES: a user's page, with one box per requested authority (guide E3-E4, F1)."""

from __future__ import annotations

from typing import Self

from automation.pages.base import BasePage, first_visible


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
    UNSUSPEND_PENDING = "traces.user.unsuspend_pending"
    PROFILE_AS = "traces.user.profile_as"
    PROFILE_SHOW = "traces.user.profile_show"
    STATUS_APPROVED = "traces.user.status_approved"
    OPERATOR_NOT_VALID = "traces.user.operator_not_valid"
    ready = HEADING

    def operators(self) -> list[str]:
        """The operators this user asked for here: one box each, or, for a user with several
        profiles, the choices under "As" (TNT-HELP), one shown at a time."""
        chooser = self._locator(self.PROFILE_AS)
        if chooser.count():
            return [o.strip() for o in chooser.locator("option").all_inner_texts() if o.strip()]
        return [box.get_attribute("aria-label") or "" for box in self._locator(self.BOXES).all()]

    def show_profile(self, operator: str) -> Self:
        """Pick `operator`'s profile under "As" when the user has several (no-op otherwise)."""
        chooser = self._locator(self.PROFILE_AS)
        if chooser.count() == 0 or self.has_box(operator):
            return self
        chooser.select_option(label=operator)
        with self.page.expect_navigation():
            self._require(self.PROFILE_SHOW).click()
        return self.wait_until_loaded()

    def has_box(self, operator: str) -> bool:
        return self._locator(self.BOX, operator=operator).count() > 0

    def approved_operators(self) -> list[str]:
        """The operators whose profile is approved and saved (each shown in turn under "As")."""
        return [name for name in self.operators() if name and self.show_profile(name).is_approved(name)]

    def is_approved(self, operator: str) -> bool:
        """Approved and saved: the authority's box shows the approved status ("Valid"; older
        screens "Authorised"), which only a saved approval gives."""
        box = self._require(self.BOX, operator=operator)
        return self.catalog.locator(box, self.STATUS_APPROVED).count() > 0

    def awaits_operator_validation(self, operator: str) -> bool:
        """The operator is not "Valid" yet, so the user's role there cannot be validated (TNT-PH)."""
        box = self._require(self.BOX, operator=operator)
        return self.catalog.locator(box, self.OPERATOR_NOT_VALID).count() > 0

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
        """"Save" ("Save changes" on older screens), top right; returns once the portal confirms and
        the page shows the saved state."""
        with self.page.expect_navigation():
            self._require(self.SAVE).click()
        self._wait_for(self.SAVED)
        return self

    def unsuspend(self) -> Self:
        """"Unsuspend User"; where TRACES asks for a save afterwards (TNT-HELP), the save too."""
        self._require(self.UNSUSPEND).click()
        if first_visible(self.page, {"done": self._locator(self.UNSUSPENDED),
                                     "needs_save": self._locator(self.UNSUSPEND_PENDING)},
                         self.timeout_ms, self.screen) == "needs_save":
            return self.save()
        return self

    def reload(self) -> Self:
        self.page.reload()
        return self.wait_until_loaded()
