"""EU Login "Lost your password?": the e-mail with a single-use, expiring link, and the new
password (at least 10 characters mixing upper and lower case, digits and special characters),
which also lifts the block after five wrong passwords (guide I2). Paths inferred."""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue

from automation.stub.web import portal, t

bp = Blueprint("password_reset", __name__, url_prefix="/cas")


@dataclass
class Mail:
    to: str
    sender: str
    subject: str
    body: str
    link: str


@dataclass
class ResetToken:
    username: str
    created: float
    used: bool = False


def strong_enough(password: str) -> bool:
    return (len(password) >= 10 and bool(re.search(r"[A-Z]", password)) and bool(re.search(r"[a-z]", password))
            and bool(re.search(r"\d", password)) and bool(re.search(r"[^A-Za-z0-9]", password)))


@bp.get("/lostpassword")
def lost_password() -> ResponseReturnValue:
    return render_template("cas/lost_password.html", hide_body=True, sent=False, email=request.args.get("email", ""))


@bp.post("/lostpassword")
def send_reset_mail() -> ResponseReturnValue:
    state = portal()
    state.forms["cas.lostpassword"] += 1
    account = state.account(request.form.get("email", ""))
    if account is not None:  # the answer is the same either way: no probing for addresses
        token = secrets.token_urlsafe(24)
        with state.lock:
            state.reset_tokens[token] = ResetToken(account.username, time.monotonic())
            link = url_for(".reset_password", token=token, _external=True)
            state.mailbox.append(Mail(account.username, "Autentiseringstjänst", t("reset.mail.subject"),
                                      t("reset.mail.body").format(link=link), link))
    return render_template("cas/lost_password.html", hide_body=True, sent=True, email="")


def _token() -> ResetToken | None:
    state = portal()
    token = state.reset_tokens.get(request.values.get("token", ""))
    if token is None or token.used or time.monotonic() - token.created > state.reset_ttl_s:
        return None
    return token


@bp.get("/password/reset")
def reset_password() -> ResponseReturnValue:
    if _token() is None:
        return render_template("cas/reset_password.html", hide_body=True, invalid=True, error=None), 410
    return render_template("cas/reset_password.html", hide_body=True, invalid=False, error=None,
                           token=request.args["token"])


@bp.post("/password/reset")
def set_new_password() -> ResponseReturnValue:
    state = portal()
    state.forms["cas.password_reset"] += 1
    token = _token()
    if token is None:
        return render_template("cas/reset_password.html", hide_body=True, invalid=True, error=None), 410
    new, again = request.form.get("new_password", ""), request.form.get("confirm_password", "")
    error = None if new == again else t("reset.mismatch")
    error = error or (None if strong_enough(new) else t("reset.weak"))
    if error:
        return render_template("cas/reset_password.html", hide_body=True, invalid=False, error=error,
                               token=request.form["token"]), 400
    account = state.account(token.username)
    with state.lock:
        token.used = True
        if account is not None:
            account.password, account.blocked, account.failed_in_row = new, False, 0
    return render_template("cas/reset_password.html", hide_body=True, invalid=False, error=None, done=True)
