"""Password alone: only where EU Login allows it for the service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from automation.pages.eulogin.password import SecondFactorStep
from automation.vocabulary import FactorKind

if TYPE_CHECKING:
    from playwright.sync_api import Page


class PasswordOnly:
    method = FactorKind.PASSWORD

    def prepare(self, page: Page) -> None:
        return None

    def complete(self, step: SecondFactorStep) -> str:
        return step.wait({})

    def finish(self, page: Page) -> None:
        return None
