"""Helpers shared by the offline portal's blueprints."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import current_app, g

from automation.stub.i18n import DEFAULT_LOCALE, label
from automation.stub.state import PortalState


def portal() -> PortalState:
    state: PortalState = current_app.extensions["portal_state"]
    return state


def t(key: str) -> str:
    """The current screen's label for `key`, in the visitor's language (drift overrides applied)."""
    return label(g.get("locale", DEFAULT_LOCALE), key, portal().drift)


def with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = "&".join(x for x in (parts.query, urlencode(params)) if x)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
