"""Where public sources disagree about the real portals, the offline portal can show either version.

Every such choice lives in ONE frozen dataclass, `Variants`, set through the control API
(`POST /__stub__/variants`) and put back to `DEFAULTS` by `POST /__stub__/reset`. The same goes
for confirmed facts that the toolkit's current page objects cannot handle yet (a changed label,
a new entry state): they are modelled, but behind a setting.

Two presets, side by side on purpose:
- `NEWEST_OFFICIAL`: the newest official source for each setting (portal-facts.md), and the
  `DEFAULTS`: what the portal shows unless a test asks otherwise.
- `OLDER`: the other side of each disagreement (older help, older screens); `{"preset": "older"}`.
  `differences_from_newest(OLDER)` lists the settings where the two differ (and FACTS.md).
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

Lockout = Literal["until_reset", "auto_unlock"]
GearMenu = Literal["click", "hover"]
PasskeyEnrolment = Literal["one_step", "named_submit"]
LostPasswordLabel = Literal["lost", "forgot"]
SignupLabel = Literal["sign_up", "request_access"]
UsersMenu = Literal["actors", "organisations"]
SaveLabel = Literal["save_changes", "save"]
ApprovedStatus = Literal["authorised", "valid"]
OperatorSelect = Literal["radio", "checkbox"]
AuthoritySearchLabel = Literal["competent", "responsible"]
UsersSearch = Literal["plural", "singular_advanced"]
MailSender = Literal["older", "automated_notifications"]
MethodChooser = Literal["native_select", "dropdown", "dropdown_hidden_select"]
TwoFactorRequest = Literal["accept_strengths", "authentication_level"]


@dataclass(frozen=True)
class Variants:
    """One setting per disagreement between sources, or per confirmed fact the toolkit cannot take yet."""

    # --- EU Login -------------------------------------------------------------------------
    # EC-ITB: an unknown e-mail is refused at step 1 (the password step never appears).
    # False: the older offline behaviour (refused only after the password, as a wrong password).
    unknown_user_refused_at_step1: bool = False
    # PO-EDIT, PO-ECAS: EU Login opens on step 2 for the last user of this browser, with #anonymize.
    remembered_user: bool = False
    # PO-ECAS: #fallbackLink clicked "if displayed"; six PEERS and the LEOS tests go straight back to the
    # service. True: a redirect page, only while a service is being continued, that moves on by itself.
    fallback_interstitial: bool = False
    # PEERS (round 3): the verification method is a custom drop-down (#verif-method-dd-id, options
    # #verif-method-dd-<STRENGTH>), Password not necessarily preselected. "native_select": the visible
    # select#loginStrength of older public code (PO-ECAS, PO-EDIT). "dropdown_hidden_select": the widget
    # with the native select still in the DOM but hidden (unknown whether live keeps it).
    method_chooser: MethodChooser = "native_select"
    # OE-AUTH (2025-02-07): a service demands two factors with authenticationLevel=MEDIUM on /cas/login;
    # "accept_strengths": the older acceptStrengths=... list. How TRACES' "Log into Traces" link asks.
    two_factor_request: TwoFactorRequest = "accept_strengths"
    # OE-AUTH mock (inferred): a logout started by a service asks "You are about to be logged out of EU
    # Login." -> "Log me out" / "No, stay logged in!". False: it logs out at once (PO-EDIT, PO-ECAS).
    logout_confirmation: bool = False
    # Guide I2: five in a row block until a new password is requested. EUL-HELP: wait 15 minutes.
    lockout: Lockout = "until_reset"
    # EUL-ISSUES: "Password" disappears from the methods for services that demand two factors.
    # False: it stays and is refused after Sign in (the older offline screen the toolkit's catalogue
    # has a message for). Where password_only_accounts lets an account use Password alone, it stays.
    hide_password_for_two_factor_services: bool = False
    # TNT-HELP, LIVS: since 11 June 2024 Password alone never reaches TRACES, for any user. True: the
    # older offline portal, where accounts marked password_only_allowed still reached TRACES with it.
    # EU Login's own pages (My account) take the password alone either way.
    password_only_accounts: bool = True
    # EC-AGM: the gear's menu opens when the mouse moves over it. "click": a disclosure to click.
    gear_menu: GearMenu = "click"
    # EUL-PASSKEY: "Add a Security Key" -> a name -> "Submit" -> the browser's prompt.
    # "one_step": name field and one button that prompts at once (the older offline screen).
    passkey_enrolment: PasskeyEnrolment = "one_step"
    # EUL-HELP (newest): "Lost your password?"; older help: "Forgot password?".
    lost_password_label: LostPasswordLabel = "lost"
    # EUL-CREATE: after the new password, "click Submit. You are now authenticated" (a session is open).
    # False: the older offline screen (account created, sign in next), which the toolkit's sign-up expects.
    signup_authenticates: bool = False
    # EUL-MAIL: e-mails come from automated-notifications@nomail.ec.europa.eu. "older": the address the
    # offline portal used before (invented); the toolkit accepts mail from both and from nobody else.
    mail_sender: MailSender = "older"
    # --- TRACES NT ------------------------------------------------------------------------
    # TNT-HELP: newer "Request an access", older "Sign up for TRACES".
    signup_label: SignupLabel = "sign_up"
    # TNT-HELP: "Actors" > "Users" (under "Individuals"); older help "Organisations" > "Users".
    users_menu: UsersMenu = "actors"
    # TNT-HELP: newest "Save", older "Save changes" (guide E4 "Spara ändringar").
    save_label: SaveLabel = "save_changes"
    # TNT-HELP, FLI: an approved user's status is "Valid" ("Gültig"). "authorised": older offline label.
    approved_status: ApprovedStatus = "authorised"
    # TNT-HELP: open a request by the user's name or by "View" (an extra column with the link).
    users_view_link: bool = False
    # TNT-HELP: a user with several profiles is shown one profile at a time, chosen under "As".
    profile_chooser: bool = False
    # TNT-HELP: "Unsuspend User", then save the changes. False: the button acts at once.
    unsuspend_needs_save: bool = False
    # TNT-HELP: rows are selected by a "Select" tick box (uncertain); the older offline screen: a radio.
    operator_select: OperatorSelect = "radio"
    # TNT-HELP: "Search responsible authorities" (guide C14 "Sök ansvariga myndigheter", the same in
    # both). "competent": the older offline English rendering the toolkit's catalogue expects.
    authority_search_label: AuthoritySearchLabel = "competent"
    # TNT-HELP (newest "User validation workflow"): "Search pending request" (singular) beside "Advanced
    # Search". "plural": the older help and the guide (E2), "Search pending requests", no advanced search.
    users_search: UsersSearch = "plural"


# The other side of each disagreement: older help pages and screens (and the first offline
# portal). The toolkit must pass against these too; tests run every flow against both presets.
OLDER = Variants()

NEWEST_OFFICIAL = Variants(
    unknown_user_refused_at_step1=True,
    remembered_user=True,
    fallback_interstitial=False,
    method_chooser="dropdown",
    two_factor_request="authentication_level",
    logout_confirmation=False,
    lockout="auto_unlock",
    hide_password_for_two_factor_services=True,
    password_only_accounts=False,
    gear_menu="hover",
    passkey_enrolment="named_submit",
    lost_password_label="lost",
    signup_authenticates=True,
    mail_sender="automated_notifications",
    signup_label="request_access",
    users_menu="actors",
    save_label="save",
    approved_status="valid",
    users_view_link=True,
    profile_chooser=True,
    unsuspend_needs_save=True,
    operator_select="checkbox",
    authority_search_label="responsible",
    users_search="singular_advanced",
)

# What the portal shows unless a test asks otherwise: the newest official source (issue 11), now
# that the page objects handle every variant.
DEFAULTS = NEWEST_OFFICIAL

PRESETS = {"defaults": DEFAULTS, "newest_official": NEWEST_OFFICIAL, "older": OLDER}


def differences_from_newest(current: Variants = OLDER) -> dict[str, tuple[Any, Any]]:
    """{setting: (current, newest official)} for every setting where the two differ."""
    return {f.name: (getattr(current, f.name), getattr(NEWEST_OFFICIAL, f.name))
            for f in fields(Variants) if getattr(current, f.name) != getattr(NEWEST_OFFICIAL, f.name)}


class VariantError(ValueError):
    """A control-API request named an unknown setting or a value the setting does not allow."""


def _allowed(name: str) -> tuple[Any, ...]:
    hint = typing.get_type_hints(Variants)[name]
    if hint is bool:
        return (True, False)
    if typing.get_origin(hint) is Literal:
        return typing.get_args(hint)
    raise TypeError(f"unsupported variant type for {name}: {hint!r}")  # pragma: no cover


def choices() -> dict[str, list[Any]]:
    """Every setting with the values it allows (the control API's GET answers this too)."""
    return {f.name: list(_allowed(f.name)) for f in fields(Variants)}


def apply(current: Variants, changes: dict[str, Any]) -> Variants:
    """`current` with `changes` applied; {"preset": "newest_official" | "defaults"} starts from a preset.
    Unknown names and values outside a setting's choices are refused, never silently ignored."""
    changes = dict(changes)
    base = current
    if "preset" in changes:
        preset = changes.pop("preset")
        if preset not in PRESETS:
            raise VariantError(f"unknown preset {preset!r}; choose from {sorted(PRESETS)}")
        base = PRESETS[preset]
    known = {f.name for f in fields(Variants)}
    for name, value in changes.items():
        if name not in known:
            raise VariantError(f"unknown variant {name!r}; known: {sorted(known)}")
        allowed = _allowed(name)
        # bool is an int: compare by type as well, so 1 is not taken for True.
        if not any(value == a and type(value) is type(a) for a in allowed):
            raise VariantError(f"{name} must be one of {list(allowed)}, not {value!r}")
    return replace(base, **changes)


def as_dict(variants: Variants) -> dict[str, Any]:
    return dataclasses.asdict(variants)


__all__ = ["DEFAULTS", "NEWEST_OFFICIAL", "OLDER", "PRESETS", "VariantError", "Variants", "apply", "as_dict", "choices",
           "differences_from_newest"]
