"""EU Login "Create an account" (guide A1-A2): the details, the captcha, "Skapa konto"."""

from __future__ import annotations

from typing import Self

from automation.errors import CaptchaRefusedError, SignupRefusedError
from automation.pages.base import BasePage, first_visible


class RegistrationPage(BasePage):
    FIRST_NAME = "eulogin.signup.first_name"
    LAST_NAME = "eulogin.signup.last_name"
    EMAIL = "eulogin.signup.email"
    EMAIL_CONFIRM = "eulogin.signup.email_confirm"
    LANGUAGE = "eulogin.signup.language"
    CAPTCHA_IMAGE = "eulogin.signup.captcha_image"
    CAPTCHA = "eulogin.signup.captcha"
    CAPTCHA_REGENERATE = "eulogin.signup.captcha_regenerate"
    PRIVACY = "eulogin.signup.privacy"
    SUBMIT = "eulogin.signup.submit"
    SENT = "eulogin.signup.sent"
    REFUSED = "eulogin.signup.refused"
    WRONG_CAPTCHA = "eulogin.signup.wrong_captcha"
    ready = FIRST_NAME

    def back_to_sign_in(self) -> None:
        """The browser's Back, to the sign-in page this form was opened from (read-only walks)."""
        self.page.go_back()

    def fill(self, first_name: str, last_name: str, email: str, language: str) -> Self:
        """The details (not the captcha): the e-mail twice, the language of EU Login's e-mails."""
        self._require(self.FIRST_NAME).fill(first_name)
        self._require(self.LAST_NAME).fill(last_name)
        self._require(self.EMAIL).fill(email)
        self._require(self.EMAIL_CONFIRM).fill(email)
        self._require(self.LANGUAGE).select_option(value=language)
        return self

    def captcha_png(self) -> bytes:
        """The captcha as a person sees it."""
        image = self._require(self.CAPTCHA_IMAGE)
        image.wait_for(state="visible", timeout=self.timeout_ms)
        return image.screenshot(timeout=self.timeout_ms)

    def new_captcha(self) -> Self:
        """The regenerate button ("two arrows", TNT-HELP): a new code in place of the one shown. Returns
        once the image has changed (the page replaces it in place, without a navigation)."""
        image = self._require(self.CAPTCHA_IMAGE)
        before = image.get_attribute("src")
        self._require(self.CAPTCHA_REGENERATE).click()
        self.page.wait_for_function("([image, before]) => image.getAttribute('src') !== before",
                                    arg=[image.element_handle(), before], timeout=self.timeout_ms)
        return self

    def create_account(self, captcha_code: str) -> None:
        """The code, the privacy statement, "Skapa konto"; returns once EU Login says the e-mail
        was sent. A wrong code raises CaptchaRefusedError (a new code is shown); any other refusal
        SignupRefusedError with EU Login's reason."""
        self._require(self.CAPTCHA).fill(captcha_code)
        self._require(self.PRIVACY).check()
        self._require(self.SUBMIT).click()
        outcome = first_visible(self.page, {"sent": self._locator(self.SENT), "refused": self._locator(self.REFUSED)},
                                self.timeout_ms, self.screen)
        if outcome == "sent":
            return
        if self._locator(self.WRONG_CAPTCHA).count():
            raise CaptchaRefusedError("EU Login did not accept the captcha code")
        reason = self._locator(self.REFUSED).first.inner_text().strip()
        raise SignupRefusedError(f"EU Login refused the sign-up: {reason}")
