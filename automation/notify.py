"""Short notifications through apprise (optional: `pip install 'tracesctl[notify]'`)."""

from __future__ import annotations

from typing import Any

from automation.errors import ConfigError


def check_notify_url(url: str) -> Any:
    """An apprise object for `url`, or ConfigError now (before any sign-in) if it cannot be used."""
    try:
        import apprise
    except ImportError:
        raise ConfigError("--notify needs apprise: pip install 'tracesctl[notify]'") from None
    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise ConfigError("--notify: apprise does not understand that URL")
    return notifier


def send(notifier: Any, title: str, body: str) -> bool:
    return bool(notifier.notify(title=title, body=body))
