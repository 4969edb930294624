"""EU Login "Create an account" (guide A1-A3): the form with its captcha, the verification e-mail
from "Autentiseringstjänst", and the link that sets the first password and opens the account.

The form's address and fields are public (portal-facts); the link's address is inferred. The
captcha's code is never in the page's text: tests read it from the control API, people from the
image.
"""

from __future__ import annotations

import base64
import random
import re
import secrets
from html import escape

from flask import Blueprint, jsonify, make_response, render_template, request, url_for
from flask.typing import ResponseReturnValue

from automation.stub.cas import set_session_cookies
from automation.stub.i18n import LOCALES
from automation.stub.password_reset import new_password_from_form, send_link, valid_token
from automation.stub.state import PASSWORD, Account, PortalState, Signup
from automation.stub.web import portal, t

bp = Blueprint("signup", __name__, url_prefix="/cas")

CAPTCHA_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ23456789"  # no 0/O, 1/I: a person must read it
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# Addresses of EU institutions and bodies: their staff's accounts come from HR, not self-registration.
INSTITUTION_DOMAINS = ("europa.eu", "ecb.int", "eib.org", "eif.org")
FIELDS = ("firstName", "lastName", "email", "emailConfirm")


def is_institution_address(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return any(domain == d or domain.endswith("." + d) for d in INSTITUTION_DOMAINS)


def _new_captcha(state: PortalState) -> tuple[str, str]:
    captcha_id = secrets.token_hex(8)
    code = "".join(secrets.choice(CAPTCHA_ALPHABET) for _ in range(6))
    with state.lock:
        state.captchas[captcha_id] = code
        while len(state.captchas) > 500:  # forms opened and abandoned: forget the oldest
            del state.captchas[next(iter(state.captchas))]
    return captcha_id, code


def _captcha_svg(code: str) -> str:
    """The code drawn with a little jitter and noise: readable by a person, not by a text search."""
    jitter = random.Random(code)
    glyphs = "".join(
        f'<text x="{14 + i * 24}" y="{34 + jitter.randint(-5, 5)}" transform="rotate({jitter.randint(-15, 15)} '
        f'{20 + i * 24} 30)">{escape(ch)}</text>' for i, ch in enumerate(code))
    noise = "".join(
        f'<line x1="{jitter.randint(0, 160)}" y1="{jitter.randint(0, 50)}" x2="{jitter.randint(0, 160)}" '
        f'y2="{jitter.randint(0, 50)}"/>' for _ in range(5))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="160" height="50" font-family="monospace" '
           f'font-size="26" font-weight="bold"><rect width="160" height="50" fill="#eef"/>'
           f'<g stroke="#99a" stroke-width="1.5">{noise}</g><g fill="#224">{glyphs}</g></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _form(error: str | None = None, status: int = 200) -> ResponseReturnValue:
    captcha_id, code = _new_captcha(portal())
    values = {name: request.form.get(name, "") for name in FIELDS}
    body = render_template("cas/register.html", error=error, values=values, captcha_id=captcha_id,
                           captcha=_captcha_svg(code), languages=LOCALES,
                           email_language=request.form.get("emailLanguage", ""), hide_body=True)
    return make_response(body, status)


# TNT-HELP "Create a new EU Login account": the captcha has a regenerate button ("two arrows"). Path inferred.
@bp.get("/eim/external/captcha")
def regenerate_captcha() -> ResponseReturnValue:
    """A new code for the form: the one it replaces is forgotten, so only the new code is accepted."""
    state = portal()
    state.forms["signup.captcha_regenerated"] += 1
    with state.lock:
        state.captchas.pop(request.args.get("replaces", ""), None)
    captcha_id, code = _new_captcha(state)
    return jsonify(id=captcha_id, image=_captcha_svg(code))


@bp.get("/eim/external/register.cgi")
def register_form() -> ResponseReturnValue:
    return _form()


def _refusal(state: PortalState) -> str | None:
    form = request.form
    with state.lock:  # a captcha is good for one answer, right or wrong
        expected = state.captchas.pop(form.get("captchaId", ""), None)
    email = form.get("email", "").strip().lower()
    if any(not form.get(name, "").strip() for name in FIELDS) or not form.get("captcha", "").strip():
        return t("signup.error.required")
    if not EMAIL.fullmatch(email):
        return t("signup.error.email")
    if email != form.get("emailConfirm", "").strip().lower():
        return t("signup.error.email_mismatch")
    if is_institution_address(email):
        return t("signup.error.institution")
    typed = form.get("captcha", "").strip().upper().encode()
    if expected is None or not secrets.compare_digest(expected.encode(), typed):
        return t("signup.error.captcha")
    if not form.get("privacy"):
        return t("signup.error.privacy")
    if state.account(email) is not None:
        return t("signup.error.exists")
    return None


@bp.post("/eim/external/register.cgi")
def register() -> ResponseReturnValue:
    state = portal()
    state.forms["cas.register"] += 1
    refusal = _refusal(state)
    if refusal:
        return _form(refusal, 400)
    form = request.form
    email = form["email"].strip().lower()
    language = form.get("emailLanguage", "en")
    language = language if language in LOCALES else "en"
    with state.lock:
        state.signups[email] = Signup(email, form["firstName"].strip(), form["lastName"].strip(), language)
    send_link(state, email, language, "signup", "signup.first_password")
    return render_template("cas/register_sent.html", hide_body=True)


def _password_form(**values: object) -> str:
    done = t("signup.done.authenticated") if values.get("authenticated") else t("signup.done")
    return render_template("cas/reset_password.html", hide_body=True, heading=t("signup.password.heading"),
                           done_message=done, action=url_for(".set_first_password"), **values)


# Path inferred: the verification link's real address was not found in public sources.
@bp.get("/init/initialisePasswordLogin.cgi")
def first_password() -> ResponseReturnValue:
    if valid_token(portal(), "signup") is None:
        return _password_form(invalid=True, error=None), 410
    return _password_form(invalid=False, error=None, token=request.args["token"])


@bp.post("/init/initialisePasswordLogin.cgi")
def set_first_password() -> ResponseReturnValue:
    state = portal()
    state.forms["cas.first_password"] += 1
    token, new = new_password_from_form(state, "signup", _password_form)
    with state.lock:
        token.used = True
        signup = state.signups.pop(token.username, None)
        if signup is not None and state.account(signup.username) is None:
            state.accounts[signup.username] = Account(signup.username, new, signup.first_name, signup.last_name)
        authenticated = state.variants.signup_authenticates and state.account(token.username) is not None
        tgt = state.issue_tgt(token.username, PASSWORD) if authenticated else None
    response = make_response(_password_form(invalid=False, error=None, done=True, authenticated=authenticated))
    account = state.account(token.username)
    if tgt is not None and account is not None:
        # EUL-CREATE: "click Submit. You are now authenticated": the EU Login session is open.
        # The same Secure cookies as a sign-in (a __Secure- cookie without Secure is refused by browsers).
        set_session_cookies(response, tgt, account)
    return response
