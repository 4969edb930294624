"""Where EU Login's e-mails are read: a person pastes the link (real use), or the offline portal's
mailbox (tests, demo). Links in these e-mails open an account: they are handled as secrets."""

from __future__ import annotations

import json
import urllib.request
from typing import Protocol

from tenacity import retry, retry_if_result, stop_after_delay, wait_fixed

from automation.errors import MissingSettingError, PortalTimeoutError
from automation.secrets import Secret


class Mailbox(Protocol):
    def count(self, to: str) -> int:
        """How many e-mails `to` has now (so a later wait looks only at newer ones)."""
        ...

    def wait_for_link(self, to: str, after: int, timeout_s: float) -> Secret:
        """The link of the first e-mail to `to` that arrived after the first `after` ones."""
        ...


class PromptMailbox:
    """A person reads the e-mail and pastes its link."""

    def count(self, to: str) -> int:
        return 0

    def wait_for_link(self, to: str, after: int, timeout_s: float) -> Secret:
        import getpass

        link = getpass.getpass(f"Paste the link from the EU Login e-mail sent to {to}: ").strip()
        if not link.startswith("https://") and not link.startswith("http://"):
            raise MissingSettingError("that is not a link")
        return Secret(link)


class OfflinePortalMailbox:
    """The offline portal's mailbox, read through its control API."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def _mails(self, to: str) -> list[dict[str, str]]:
        with urllib.request.urlopen(f"{self.base_url}/__stub__/mailbox?to={to}", timeout=10) as answer:
            mails: list[dict[str, str]] = json.loads(answer.read())
            return mails

    def count(self, to: str) -> int:
        return len(self._mails(to))

    def wait_for_link(self, to: str, after: int, timeout_s: float) -> Secret:
        # Poll once a second until the e-mail is there (a condition wait, bounded by timeout_s).
        @retry(retry=retry_if_result(lambda link: link is None), stop=stop_after_delay(timeout_s),
               wait=wait_fixed(1), retry_error_callback=lambda state: None)
        def newest() -> str | None:
            mails = self._mails(to)
            return mails[after]["link"] if len(mails) > after else None

        link = newest()
        if link is None:
            raise PortalTimeoutError(f"no e-mail reached {to} within {timeout_s:.0f} s")
        return Secret(link)
