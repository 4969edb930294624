"""The EU Login app devices of an account (My account > Manage my mobile devices): list them, and
remove one, say a lost phone's, so that it can no longer approve sign-ins."""

from __future__ import annotations

from typing import TYPE_CHECKING

from structlog.contextvars import bound_contextvars

from automation.config import AccountConfig, Settings
from automation.errors import ConfigError
from automation.log import get_logger
from automation.pages.base import portal_errors_as_transient
from automation.pages.eulogin.devices import DevicesPage
from automation.secrets import Secret
from flows.jobs.signin import sign_in_to_eulogin

if TYPE_CHECKING:
    from playwright.sync_api import Page

log = get_logger(__name__)


def _devices_page(page: Page, settings: Settings, account: AccountConfig, password: Secret) -> DevicesPage:
    return sign_in_to_eulogin(page, settings, account, password).open_my_account().open_mobile_devices()


def list_devices(page: Page, settings: Settings, account: AccountConfig, password: Secret) -> list[str]:
    with bound_contextvars(flow="devices", account=account.name), portal_errors_as_transient(page):
        return _devices_page(page, settings, account, password).device_names


def remove_device(page: Page, settings: Settings, account: AccountConfig, password: Secret, device: str,
                  apply: bool) -> list[str]:
    """Remove `device` (with `apply`; else only check it is there). Returns the devices left."""
    with bound_contextvars(flow="devices", account=account.name), portal_errors_as_transient(page):
        devices = _devices_page(page, settings, account, password)
        names = devices.device_names
        if device not in names:
            raise ConfigError(f"{account.name} has no mobile device named {device!r} "
                              f"(it has: {', '.join(names) or 'none'})")
        if not apply:
            log.info("dry run: nothing removed", device=device)
            return names
        left = devices.remove(device).device_names
        log.info("mobile device removed", device=device)
        return left
