"""Helpers shared by the offline portal's blueprints."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import current_app, g

from automation.stub.i18n import DEFAULT_LOCALE, label
from automation.stub.state import PortalState
from automation.stub.variants import Variants


def portal() -> PortalState:
    state: PortalState = current_app.extensions["portal_state"]
    return state


# Labels whose wording depends on a variant setting: key -> the key to show instead, or None to keep
# it. Templates keep asking for the plain key, so drift overrides and tests name one key per label.
LABEL_VARIANTS: dict[str, Callable[[Variants], str | None]] = {
    "cas.lost_password": lambda v: "cas.forgot_password" if v.lost_password_label == "forgot" else None,
    "reset.heading": lambda v: "cas.forgot_password" if v.lost_password_label == "forgot" else None,
    "traces.signup": lambda v: "traces.request_access" if v.signup_label == "request_access" else None,
    "nav.actors": lambda v: "nav.organisations" if v.users_menu == "organisations" else None,
    "user.save": lambda v: "user.save.short" if v.save_label == "save" else None,
    "user.status.authorised": lambda v: "status.valid" if v.approved_status == "valid" else None,
    "profile.status.authorised": lambda v: "status.valid" if v.approved_status == "valid" else None,
    "op.search_authorities": (
        lambda v: "op.search_authorities.responsible" if v.authority_search_label == "responsible" else None),
    "users.pending": lambda v: "users.pending.single" if v.users_search == "singular_advanced" else None,
    "cas.keys.add": lambda v: "cas.keys.add_security_key" if v.passkey_enrolment == "named_submit" else None,
}


def variant_key(key: str, variants: Variants) -> str:
    chosen = LABEL_VARIANTS.get(key)
    return (chosen(variants) if chosen else None) or key


def t(key: str) -> str:
    """The current screen's label for `key`, in the visitor's language, in the wording the variant
    settings choose (drift overrides applied: to the plain key, or to the variant's key)."""
    state = portal()
    locale = g.get("locale", DEFAULT_LOCALE)
    if state.drift and f"{locale}:{key}" in state.drift:
        return state.drift[f"{locale}:{key}"]
    return label(locale, variant_key(key, state.variants), state.drift)


def with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = "&".join(x for x in (parts.query, urlencode(params)) if x)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
