"""EU Login after sign-out: "You have logged out of EU Login"."""

from __future__ import annotations

from automation.pages.base import BasePage


class LoggedOutPage(BasePage):
    HEADING = "eulogin.logged_out.heading"
    ready = HEADING
