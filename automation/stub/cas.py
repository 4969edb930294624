"""EU Login (CAS) screens: the two-step sign-in, second factors, sign-out, My Account, security keys."""

from __future__ import annotations

import base64
import io
import json
import secrets
import time
from typing import Any

import pyotp
import qrcode
import qrcode.image.svg
import webauthn
from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import escape
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)
from werkzeug.wrappers import Response as WerkzeugResponse

from automation.stub.state import (
    MAX_FAILED_IN_ROW,
    MOBILE_APP,
    PASSWORD,
    SOFTWARE_TOKEN,
    STRENGTHS,
    WEBAUTHN,
    Account,
    LoginRequest,
    StoredPasskey,
    Ticket,
)
from automation.stub.web import portal, t, with_query

bp = Blueprint("cas", __name__, url_prefix="/cas")

# The cookies as live code sees them (PEERS, round 3): the ticket-granting cookie and EU Login's own
# session, both session cookies, and __Secure-ECAS_AAP_1 with an expiry (the horizon of silent single
# sign-on; its length is not public, inferred). Chromium accepts __Secure- cookies from http://localhost.
TGT_COOKIE = "__Secure-CASTGC"
SESSION_COOKIE = "__Secure-ECAS_SESSIONID"
AAP_COOKIE = "__Secure-ECAS_AAP_1"
AAP_MAX_AGE_S = 8 * 3600
# OE-AUTH: authenticationLevel on /cas/login (MEDIUM: two factors) and in the ticket validation's answer.
# HIGH (eID, token) is offered by none of the offline portal's methods: it asks for the same two factors.
TWO_FACTOR_STRENGTHS = (MOBILE_APP, SOFTWARE_TOKEN, WEBAUTHN)
LEVEL_STRENGTHS = {"MEDIUM": ",".join(TWO_FACTOR_STRENGTHS), "HIGH": ",".join(TWO_FACTOR_STRENGTHS)}
# The last user of this browser (PO-EDIT, PO-ECAS: EU Login opens on step 2 for them). The cookie's
# real name is not public (inferred); it outlives sign-out, as the remembered user does.
REMEMBER_COOKIE = "EULOGIN_LAST_USER"
REMEMBER_MAX_AGE_S = 180 * 24 * 3600


# --- helpers -------------------------------------------------------------------------------

def _signed_in() -> tuple[str, str] | None:
    """(username, strength) of the live EU Login session, if any."""
    tgt = portal().tgts.get(request.cookies.get(TGT_COOKIE, ""))
    return (tgt.username, tgt.strength) if tgt else None


def session_strength() -> str | None:
    """How the live EU Login session was opened (a strength name), if there is one."""
    session = _signed_in()
    return session[1] if session else None


def password_alone_allowed(account: Account | None) -> bool:
    """Whether `account` may reach a two-factor service (TRACES) with Password alone: never under the
    newest sources (TNT-HELP, LIVS: two factors for every TRACES user since 11 June 2024); under the
    `older` preset, the accounts marked password_only_allowed (variant password_only_accounts)."""
    return account is not None and account.password_only_allowed and portal().variants.password_only_accounts


def _accepts(accept_strengths: str | None, strength: str, account: Account | None) -> bool:
    """Whether `strength` satisfies the service's acceptStrengths (TRACES asks for two factors)."""
    if not accept_strengths:
        return True
    if strength == PASSWORD and password_alone_allowed(account):
        return True
    return strength in accept_strengths.split(",")


def _rp() -> tuple[str, str]:
    """WebAuthn relying party id and origin: the host the browser visited (localhost)."""
    origin = request.host_url.rstrip("/")
    return request.host.split(":")[0], origin


def _whoami(error: str | None = None, service: str | None = None, accept: str | None = None,
            username: str = "") -> WerkzeugResponse:
    response = make_response(render_template("cas/whoami.html", error=error, service=service, accept=accept,
                                              username=username, hide_body=True))
    if SESSION_COOKIE not in request.cookies:
        # EU Login's own session (a session cookie), opened with the sign-in page; it holds no identity.
        response.set_cookie(SESSION_COOKIE, secrets.token_urlsafe(24), path="/cas", secure=True, httponly=True,
                            samesite="Lax")
    return response


def _requested_strengths() -> str | None:
    """What the service asks for: acceptStrengths=... (older), or authenticationLevel=MEDIUM (OE-AUTH)."""
    accept = request.values.get("acceptStrengths") or None
    level = (request.values.get("authenticationLevel") or "").upper()
    return accept or LEVEL_STRENGTHS.get(level)


def authentication_level(strength: str) -> str:
    """The authenticationLevel a ticket validation answers: BASIC for the password alone, MEDIUM for two factors."""
    return "BASIC" if strength == PASSWORD else "MEDIUM"


def _strengths(account: Account | None, accept: str | None = None) -> tuple[str, ...]:
    """The methods offered: "Password" disappears once the user asked to always require
    multi-factor authentication, and for services that demand two factors (EUL-ISSUES; the latter
    behind hide_password_for_two_factor_services)."""
    if account is not None and account.always_mfa:
        return tuple(s for s in STRENGTHS if s != PASSWORD)
    if (portal().variants.hide_password_for_two_factor_services and accept
            and not _accepts(accept, PASSWORD, account)):
        return tuple(s for s in STRENGTHS if s != PASSWORD)
    return STRENGTHS


def _password_step(lr: LoginRequest, error: str | None = None, status: int = 200) -> WerkzeugResponse:
    account = portal().account(lr.username)
    # #anonymize goes back to step 1 for another e-mail, keeping the service the sign-in is for.
    query: dict[str, Any] = {k: v for k, v in (("service", lr.service), ("acceptStrengths", lr.accept)) if v}
    anonymize = url_for(".login", anonymize=1, **query)
    strengths = _strengths(account, lr.accept)
    # EC-APP: adding a second mobile device starts with a sign-in with the registered one (devices.py).
    adding_device = bool(lr.service) and str(lr.service).startswith(url_for("devices.add_device_form", _external=True))
    body = render_template(
        "cas/password.html", lr=lr, error=error, strengths=strengths, hide_body=True,
        notice=t("cas.add_device.authenticate_first") if adding_device else None,
        anonymize_url=anonymize, chooser=portal().variants.method_chooser, selected=_preselected(strengths),
    )
    return make_response(body, status)


def _preselected(strengths: tuple[str, ...]) -> str:
    """The drop-down's first choice. One peer switches "to password login" first, so Password is not
    always preselected: here the first two-factor method offered is (inferred)."""
    return next((s for s in strengths if s != PASSWORD), strengths[0])


def _login_request() -> LoginRequest | None:
    lr_id = request.values.get("loginRequestId", "")
    return portal().login_requests.get(lr_id)


def _complete(lr: LoginRequest, account: Account, strength: str) -> WerkzeugResponse:
    """Second factor done: straight back to the service with a ticket (six PEERS and the LEOS tests never
    see a page in between), or "Successful login" for EU Login itself. With fallback_interstitial, a
    service being continued first gets the #fallbackLink page (below)."""
    state = portal()
    if state.variants.fallback_interstitial and lr.service:
        with state.lock:
            lr.strength, lr.continuing = strength, True
            state.forms["cas.fallback_shown"] += 1
        page = render_template("cas/fallback.html", next_url=url_for(".login_continue", loginRequestId=lr.id),
                               delay_ms=FALLBACK_DELAY_MS, hide_body=True)
        return make_response(page)
    return _open_session(lr, account, strength)


# PO-ECAS clicks #fallbackLink "if displayed": most likely a redirect page whose script moves on by itself.
# Here it does after this delay (inferred); the link is the fallback for a browser without the script.
FALLBACK_DELAY_MS = 800


@bp.get("/login/continue")
def login_continue() -> WerkzeugResponse:
    """Where #fallbackLink (or its script) leads: only now is the EU Login session opened and the ticket
    issued, so a sign-in that stops on the interstitial has reached neither EU Login nor the service."""
    state = portal()
    lr = _login_request()
    account = state.account(lr.username) if lr else None
    if lr is None or account is None or not lr.continuing or lr.strength is None:
        return _whoami(error=t("cas.error.expired"))
    state.forms["cas.fallback_followed"] += 1
    return _open_session(lr, account, lr.strength)


def _open_session(lr: LoginRequest, account: Account, strength: str) -> WerkzeugResponse:
    """Open the EU Login session; back to the service with a ticket, or "Successful login"."""
    state = portal()
    with state.lock:
        account.eulogin_signins += 1
        state.login_requests.pop(lr.id, None)
        tgt = state.issue_tgt(account.username, strength)
        if lr.service:
            ticket = state.issue_ticket(account.username, lr.service, strength)
            response: WerkzeugResponse = redirect(with_query(lr.service, ticket=ticket))
        else:
            response = make_response(_success_page(account))
    set_session_cookies(response, tgt, account)
    return response


def set_session_cookies(response: WerkzeugResponse, tgt: str, account: Account) -> None:
    response.set_cookie(TGT_COOKIE, tgt, path="/cas", secure=True, httponly=True, samesite="Lax")
    response.set_cookie(AAP_COOKIE, secrets.token_urlsafe(24), path="/cas", max_age=AAP_MAX_AGE_S, secure=True,
                        httponly=True, samesite="Lax")
    response.set_cookie(REMEMBER_COOKIE, account.username, path="/cas", max_age=REMEMBER_MAX_AGE_S,
                        httponly=True, samesite="Lax")


def _success_page(account: Account | None) -> str:
    return render_template("cas/success.html", user=account, hide_body=True)


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


# --- sign-in -------------------------------------------------------------------------------

@bp.get("/login")
def login() -> ResponseReturnValue:
    state = portal()
    lr = _login_request()
    if lr is not None:
        return _password_step(lr)
    if "loginRequestId" in request.args:
        return _whoami(error=t("cas.error.expired"))
    service = request.args.get("service")
    accept = _requested_strengths()
    session = _signed_in()
    if session is not None:
        username, strength = session
        account = state.account(username)
        if service is None:
            return _success_page(account)
        if _accepts(accept, strength, account):
            # Single sign-on: a live EU Login session skips the form.
            return redirect(with_query(service, ticket=state.issue_ticket(username, service, strength)))
    if request.args.get("anonymize"):
        # "Sign in with a different e-mail address?": forget the last user, back to step 1.
        state.forms["cas.anonymize"] += 1
        response = _whoami(service=service, accept=accept)
        response.delete_cookie(REMEMBER_COOKIE, path="/cas")
        return response
    remembered = state.account(request.cookies.get(REMEMBER_COOKIE, ""))
    if state.variants.remembered_user and remembered is not None:
        # PO-EDIT, PO-ECAS: EU Login opens directly on step 2 for the last user of this browser.
        return _password_step(state.new_login_request(remembered.username, service, accept))
    return _whoami(service=service, accept=accept)


@bp.post("/login")
def login_post() -> ResponseReturnValue:
    state = portal()
    # Step one is told apart by its field, not by the Next button's name: a script's form.submit() posts
    # no button, and reaches the password step live (PEERS, round 3).
    if "loginRequestId" not in request.form and ("username" in request.form or "whoamiSubmit" in request.form):
        state.forms["cas.whoami"] += 1
        if "whoamiSubmit" not in request.form:
            state.forms["cas.whoami.without_button"] += 1
        username = request.form.get("username", "").strip().lower()
        service, accept = request.form.get("service") or None, _requested_strengths()
        if not username:
            return _whoami(error=t("cas.error.unknown_user"), service=service, accept=accept)
        if state.variants.unknown_user_refused_at_step1 and state.account(username) is None:
            # EC-ITB: "the user is not found" at step 1; the password step never appears (text inferred).
            state.forms["cas.whoami.unknown"] += 1
            return _whoami(error=t("cas.error.unknown_user"), service=service, accept=accept, username=username)
        started = state.new_login_request(username, service, accept)
        return redirect(url_for(".login", loginRequestId=started.id))

    state.forms["cas.password"] += 1
    lr = _login_request()
    if lr is None:
        return _whoami(error=t("cas.error.expired"))
    account = state.account(lr.username)
    strength = request.form.get("loginStrength", PASSWORD)
    with state.lock:
        if account is None:
            return _password_step(lr, t("cas.error.password"))
        if state.is_blocked(account):
            return _password_step(lr, _blocked_message())
        if not secrets.compare_digest(request.form.get("password", "").encode(), account.password.encode()):
            account.failed_passwords += 1
            account.failed_in_row += 1
            if account.failed_in_row >= MAX_FAILED_IN_ROW:
                state.block(account)
                return _password_step(lr, _blocked_message())
            return _password_step(lr, t("cas.error.password"))
        account.failed_in_row = 0
    if strength not in _strengths(account, lr.accept) or not _accepts(lr.accept, strength, account):
        return _password_step(lr, t("cas.error.stronger"))
    lr.password_ok, lr.strength = True, strength
    if strength == PASSWORD:
        return _complete(lr, account, strength)
    if strength == WEBAUTHN:
        if not account.passkeys:
            return _password_step(lr, t("cas.error.method_unavailable"))
        return make_response(render_template("cas/webauthn.html", lr=lr, error=None, hide_body=True))
    if strength in (SOFTWARE_TOKEN, MOBILE_APP) and not account.devices:
        return _password_step(lr, t("cas.error.method_unavailable"))
    if strength == SOFTWARE_TOKEN:
        return _qr_screen(lr)
    if strength == MOBILE_APP:
        lr.pin_status, lr.pin_started = "pending", time.monotonic()
        lr.pin_deadline = lr.pin_started + state.pin_timeout_s
        return make_response(render_template("cas/pin.html", lr=lr, timeout=int(state.pin_timeout_s), hide_body=True))
    return _password_step(lr, t("cas.error.method_unavailable"))


def _blocked_message() -> str:
    """The lockout message of the variant in force: request a new password (guide I2) or wait 15
    minutes (EUL-HELP). Both wordings are inferred around the sources' phrases."""
    return t("cas.error.blocked_wait") if portal().variants.lockout == "auto_unlock" else t("cas.error.blocked")


def _qr_screen(lr: LoginRequest, error: str | None = None) -> WerkzeugResponse:
    # The QR code carries a challenge for the app; the app answers with its RFC 6238 code.
    lr.qr_challenge = secrets.token_urlsafe(16)
    qr = qr_svg(f"eulogin://auth?request={lr.id}&challenge={lr.qr_challenge}")
    return make_response(render_template("cas/qr.html", lr=lr, qr=qr, error=error, hide_body=True))


@bp.post("/login/otp")
def login_otp() -> WerkzeugResponse:
    state = portal()
    state.forms["cas.otp"] += 1
    lr = _login_request()
    if lr is None or not lr.password_ok or lr.strength != SOFTWARE_TOKEN:
        return make_response(_whoami(error=t("cas.error.expired")))
    account = state.account(lr.username)
    assert account is not None  # checked at the password step
    code = request.form.get("otp", "").strip()
    now = time.time()
    with state.lock:
        # Any registered app's code; the current and the previous 30-second window, each at most once.
        for device in account.devices:
            totp = pyotp.TOTP(device.secret)
            for step in (int(now // 30), int(now // 30) - 1):
                expected = totp.at(step * 30).encode()
                if step not in account.used_otp_steps and secrets.compare_digest(expected, code.encode()):
                    account.used_otp_steps.add(step)
                    return _complete(lr, account, SOFTWARE_TOKEN)
        account.failed_second_factors += 1
    return _qr_screen(lr, t("cas.qr.refused"))


@bp.get("/login/webauthn/options")
def webauthn_options() -> WerkzeugResponse:
    lr = _login_request()
    account = portal().account(lr.username) if lr else None
    if lr is None or account is None or not lr.password_ok:
        return WerkzeugResponse(json.dumps({"error": "expired"}), 400, mimetype="application/json")
    rp_id, _ = _rp()
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=[PublicKeyCredentialDescriptor(id=p.credential_id) for p in account.passkeys],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    lr.webauthn_challenge = options.challenge
    return WerkzeugResponse(webauthn.options_to_json(options), mimetype="application/json")


@bp.post("/login/webauthn")
def webauthn_verify() -> WerkzeugResponse:
    state = portal()
    state.forms["cas.webauthn"] += 1
    lr = _login_request()
    account = state.account(lr.username) if lr else None
    if lr is None or account is None or lr.webauthn_challenge is None:
        return make_response(_whoami(error=t("cas.error.expired")))
    rp_id, origin = _rp()
    try:
        credential = json.loads(request.form.get("assertion", "{}"))
        raw_id = webauthn.base64url_to_bytes(credential["rawId"])
        stored = next(p for p in account.passkeys if p.credential_id == raw_id)
        verified = webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=lr.webauthn_challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=stored.public_key,
            credential_current_sign_count=stored.sign_count,
        )
    except (InvalidAuthenticationResponse, StopIteration, KeyError, ValueError):
        # A stale sign counter (a cloned or replayed credential) lands here too.
        account.failed_second_factors += 1
        lr.webauthn_challenge = None
        body = render_template("cas/webauthn.html", lr=lr, error=t("cas.webauthn.refused"), hide_body=True)
        return make_response(body, 401)
    stored.sign_count = verified.new_sign_count
    return _complete(lr, account, WEBAUTHN)


@bp.get("/login/mobile/status")
def mobile_status() -> WerkzeugResponse:
    lr = _login_request()
    if lr is None:
        return WerkzeugResponse('{"status": "expired"}', mimetype="application/json")
    auto_approve = portal().app_auto_approve_s
    if lr.pin_status == "pending" and auto_approve is not None and time.monotonic() - lr.pin_started >= auto_approve:
        lr.pin_status = "approved"
    if lr.pin_status == "pending" and time.monotonic() > lr.pin_deadline:
        lr.pin_status = "expired"
    remaining = max(0, int(lr.pin_deadline - time.monotonic()))
    return WerkzeugResponse(json.dumps({"status": lr.pin_status, "remaining": remaining}), mimetype="application/json")


@bp.get("/login/mobile/complete")
def mobile_complete() -> WerkzeugResponse:
    state = portal()
    state.forms["cas.mobile"] += 1
    lr = _login_request()
    account = state.account(lr.username) if lr else None
    if lr is None or account is None:
        return make_response(_whoami(error=t("cas.error.expired")))
    if lr.pin_status == "approved":
        return _complete(lr, account, MOBILE_APP)
    message = t("cas.pin.denied") if lr.pin_status == "denied" else t("cas.pin.expired")
    state.login_requests.pop(lr.id, None)
    return make_response(render_template("cas/pin_failed.html", message=message, hide_body=True))


# --- sign-out and validation ----------------------------------------------------------------

@bp.get("/logout")
def logout() -> WerkzeugResponse:
    service = request.args.get("service")
    if portal().variants.logout_confirmation and service and _signed_in() is not None:
        # OE-AUTH's EU Login mock (inferred for live): a logout a service started asks first.
        portal().forms["cas.logout_asked"] += 1
        return make_response(render_template("cas/logout_confirm.html", service=service, hide_body=True))
    return _log_out()


@bp.post("/logout")
def logout_confirmed() -> WerkzeugResponse:
    """"Log me out" on the confirmation page."""
    portal().forms["cas.logout_confirmed"] += 1
    return _log_out()


def _log_out() -> WerkzeugResponse:
    portal().tgts.pop(request.cookies.get(TGT_COOKIE, ""), None)
    response = make_response(render_template("cas/logged_out.html", hide_body=True))
    for name in (TGT_COOKIE, AAP_COOKIE):
        response.delete_cookie(name, path="/cas", secure=True, httponly=True, samesite="Lax")
    return response


def _validation_answer(ticket: Ticket | None, with_level: bool) -> WerkzeugResponse:
    if ticket is None:
        xml = ("<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'><cas:authenticationFailure "
               "code='INVALID_TICKET'>Ticket not recognized</cas:authenticationFailure></cas:serviceResponse>")
    else:
        level = (f"<cas:authenticationLevel>{authentication_level(ticket.strength)}</cas:authenticationLevel>"
                 if with_level else "")
        xml = ("<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'><cas:authenticationSuccess>"
               f"<cas:user>{escape(ticket.username)}</cas:user>{level}"
               "</cas:authenticationSuccess></cas:serviceResponse>")
    return WerkzeugResponse(xml, mimetype="application/xml")


@bp.get("/serviceValidate")
def service_validate() -> WerkzeugResponse:
    ticket = portal().take_ticket(request.args.get("ticket", ""), request.args.get("service", ""))
    return _validation_answer(ticket, with_level=False)


# OE-AUTH validates at /cas/TicketValidationService and reads authenticationLevel (BASIC, MEDIUM, HIGH).
@bp.get("/TicketValidationService")
def ticket_validation_service() -> WerkzeugResponse:
    ticket = portal().take_ticket(request.args.get("ticket", ""), request.args.get("service", ""))
    return _validation_answer(ticket, with_level=True)


# EC-APP: the shortcut https://webgate.ec.europa.eu/cas/mobile leads to the mobile devices (after a sign-in).
@bp.get("/mobile")
def mobile_shortcut() -> WerkzeugResponse:
    return redirect(url_for("devices.mobile_devices"))


# --- My Account ---------------------------------------------------------------------------

def account_or_login() -> Account | WerkzeugResponse:
    session = _signed_in()
    account = portal().account(session[0]) if session else None
    if account is None:
        return redirect(url_for(".login", service=request.url))
    return account


@bp.get("/userdata/myAccount.cgi")
def my_account() -> ResponseReturnValue:
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    return render_template("cas/my_account.html", user=account, hide_body=True)


# Path inferred: the real page's address was not found in public sources.
@bp.get("/userdata/webauthn/manageMySecurityKeys.cgi")
def security_keys() -> ResponseReturnValue:
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    message = t("cas.keys.registered") if request.args.get("registered") else None
    return render_template("cas/security_keys.html", user=account, message=message, error=None, hide_body=True,
                           named=portal().variants.passkey_enrolment == "named_submit")


# EUL-PASSKEY: "Add a Security Key" -> a name for the device -> "Submit" -> the browser's prompt.
# Shown with passkey_enrolment="named_submit". Paths inferred.
@bp.get("/userdata/webauthn/addSecurityKey.cgi")
def add_security_key_form() -> ResponseReturnValue:
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    return render_template("cas/add_security_key.html", user=account, error=None, hide_body=True)


@bp.post("/userdata/webauthn/addSecurityKey.cgi")
def add_security_key_name() -> ResponseReturnValue:
    """"Submit" with the name: the portal keeps the name, then the page asks the browser for the credential."""
    state = portal()
    state.forms["webauthn.name"] += 1
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    name = request.form.get("name", "").strip()
    if not name:
        body = render_template("cas/add_security_key.html", user=account, error=t("cas.keys.no_name"),
                               hide_body=True)
        return make_response(body, 400)
    with state.lock:
        state.pending_key_names[account.username] = name
    return render_template("cas/security_key_prompt.html", user=account, name=name, hide_body=True)


# "Configure my account" (EUL-OPTIONS): two options and Submit. Path inferred.
@bp.get("/userdata/configureMyAccount.cgi")
def configure_account() -> ResponseReturnValue:
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    return render_template("cas/configure.html", user=account, message=None, hide_body=True)


@bp.post("/userdata/configureMyAccount.cgi")
def configure_account_post() -> ResponseReturnValue:
    state = portal()
    state.forms["cas.configure"] += 1
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    with state.lock:
        account.always_mfa = request.form.get("alwaysMfa") == "on"
        account.details_after_login = request.form.get("detailsAfterLogin") == "on"
    return render_template("cas/configure.html", user=account, message=t("cas.configure.updated"), hide_body=True)


@bp.get("/userdata/webauthn/options")
def security_key_options() -> WerkzeugResponse:
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return WerkzeugResponse('{"error": "signed out"}', 401, mimetype="application/json")
    rp_id, _ = _rp()
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name="EU Login",
        user_name=account.username,
        user_display_name=account.display_name,
        user_id=account.username.encode(),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=p.credential_id) for p in account.passkeys],
    )
    portal().registration_challenges[account.username] = options.challenge
    return WerkzeugResponse(webauthn.options_to_json(options), mimetype="application/json")


@bp.post("/userdata/webauthn/register")
def security_key_register() -> ResponseReturnValue:
    state = portal()
    state.forms["webauthn.register"] += 1
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    rp_id, origin = _rp()
    try:
        verified = webauthn.verify_registration_response(
            credential=json.loads(request.form.get("attestation", "{}")),
            expected_challenge=state.registration_challenges.pop(account.username, b""),
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (InvalidRegistrationResponse, ValueError, KeyError):
        body = render_template("cas/security_keys.html", user=account, message=None,
                               error=t("cas.keys.failed"), hide_body=True)
        return make_response(body, 400)
    with state.lock:
        name = (request.form.get("name", "").strip() or state.pending_key_names.pop(account.username, "")
                or f"Key {len(account.passkeys) + 1}")
        state.pending_key_names.pop(account.username, None)
        account.passkeys.append(StoredPasskey(verified.credential_id, verified.credential_public_key,
                                              verified.sign_count, name))
    return redirect(url_for(".security_keys", registered=1))


# "Delete all my devices and eID (PANIC)" (EUL-OPTIONS). TNT-HELP: after a PANIC reset the TRACES user
# is suspended until an administrator unsuspends them. Path and wording inferred.
@bp.get("/userdata/panic.cgi")
def panic() -> ResponseReturnValue:
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    return render_template("cas/panic.html", user=account, message=None, hide_body=True)


@bp.post("/userdata/panic.cgi")
def panic_post() -> ResponseReturnValue:
    state = portal()
    state.forms["cas.panic"] += 1
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    with state.lock:
        account.devices, account.passkeys = [], []
        account.traces_suspended = True
    return render_template("cas/panic.html", user=account, message=t("cas.panic.done"), hide_body=True)
