"""EU Login's "New password" form, reached from an e-mail's link: a reset, or a new account's first password."""

from __future__ import annotations

from typing import Self

from automation.errors import BusinessError, ResetLinkError, WeakPasswordError
from automation.pages.base import BasePage, first_visible
from automation.passwords import PASSWORD_RULE, meets_rule
from automation.secrets import Secret


class NewPasswordPage(BasePage):
    NEW = "eulogin.reset.new"
    CONFIRM = "eulogin.reset.confirm"
    SUBMIT = "eulogin.reset.submit"
    INVALID = "eulogin.reset.invalid"
    RESET_DONE = "eulogin.reset.done"
    SIGNUP_DONE = "eulogin.signup.done"
    REFUSED = "eulogin.reset.refused"
    ready = NEW

    def open(self, link: Secret) -> Self:
        """Follow the e-mail's link to the form; a used or expired link raises ResetLinkError."""
        self.page.goto(link.reveal())
        reached = first_visible(self.page, {"form": self._locator(self.NEW), "invalid": self._locator(self.INVALID)},
                                self.timeout_ms, self.screen)
        if reached == "invalid":
            raise ResetLinkError("the link in the e-mail was used already or has expired: ask for a new one")
        return self

    def choose(self, password: Secret) -> Self:
        """New password twice, "Submit"; returns once EU Login confirms. Refused: BusinessError with
        the portal's reason. The same form sets the first password of a new account."""
        if not meets_rule(password.reveal()):  # refused here, before EU Login ever sees it
            raise WeakPasswordError(PASSWORD_RULE)
        self._require(self.NEW).fill(password.reveal())
        self._require(self.CONFIRM).fill(password.reveal())
        self._require(self.SUBMIT).click()
        changed = self._locator(self.RESET_DONE).or_(self._locator(self.SIGNUP_DONE))
        reached = first_visible(self.page, {"changed": changed, "refused": self._locator(self.REFUSED)},
                                self.timeout_ms, self.screen)
        if reached == "refused":
            reason = self._locator(self.REFUSED).first.inner_text().strip()
            raise BusinessError(f"EU Login refused the new password: {reason}")
        return self
