"""EU Login "Create an account" (guide A1-A2): the details, the captcha, "Skapa konto"."""

from __future__ import annotations

from typing import Self

from automation.pages.base import BasePage, first_visible


class RegistrationPage(BasePage):
    def open(self, eulogin_url: str, locale: str) -> Self:
        """EU Login's sign-in page, then its "Create an account" link (guide A1)."""
        self.page.goto(f"{eulogin_url}/login")
        self._choose_language("eulogin.language.selector", locale)
        self._locator("eulogin.whoami.create_account").click()
        return self.wait_until_loaded()

    def wait_until_loaded(self) -> Self:
        self._wait_for("eulogin.signup.first_name")
        return self

    def fill(self, first_name: str, last_name: str, email: str, language: str) -> Self:
        """The details (not the captcha): the e-mail twice, the language of EU Login's e-mails."""
        self._locator("eulogin.signup.first_name").fill(first_name)
        self._locator("eulogin.signup.last_name").fill(last_name)
        self._locator("eulogin.signup.email").fill(email)
        self._locator("eulogin.signup.email_confirm").fill(email)
        self._locator("eulogin.signup.language").select_option(value=language)
        return self

    def captcha_png(self) -> bytes:
        """The captcha as a person sees it."""
        image = self._locator("eulogin.signup.captcha_image")
        image.wait_for(state="visible", timeout=self.timeout_ms)
        return image.screenshot(timeout=self.timeout_ms)

    def create_account(self, captcha_code: str) -> str:
        """The code, the privacy statement, "Skapa konto": "sent", "wrong-captcha" (a new code is
        shown) or "refused" (the reason is in `refusal()`)."""
        self._locator("eulogin.signup.captcha").fill(captcha_code)
        self._locator("eulogin.signup.privacy").check()
        self._locator("eulogin.signup.submit").click()
        outcome = first_visible(self.page, {"sent": self._locator("eulogin.signup.sent"),
                                            "refused": self._locator("eulogin.signup.refused")}, self.timeout_ms)
        if outcome == "refused" and self._locator("eulogin.signup.wrong_captcha").count():
            return "wrong-captcha"
        return outcome

    def refusal(self) -> str:
        return self._locator("eulogin.signup.refused").first.inner_text().strip()
