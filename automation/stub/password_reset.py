"""EU Login "Lost your password?": the e-mail with a single-use, expiring link, and the new
password (at least 10 characters mixing upper and lower case, digits and special characters),
which also lifts the block after five wrong passwords (guide I2). Paths inferred.

The link of the sign-up e-mail (signup.py) works the same way: `valid_token` and
`password_error` are shared with it.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from pathlib import Path

from flask import Blueprint, abort, g, make_response, render_template, request, url_for
from flask.typing import ResponseReturnValue

from automation.stub.i18n import DEFAULT_LOCALE, label
from automation.stub.state import PortalState
from automation.stub.web import portal, t

bp = Blueprint("password_reset", __name__, url_prefix="/cas")


# EUL-MAIL: EU Login's e-mails come from this address, and may arrive up to 20 minutes later.
SENDER_ADDRESS = "automated-notifications@nomail.ec.europa.eu"
# The address the offline portal sent from before (invented; the real older one is not public).
OLDER_SENDER_ADDRESS = "no-reply@eulogin.offline-portal.invalid"


@dataclass
class Mail:
    to: str
    sender: str  # the display name ("Autentiseringstjänst", guide A2)
    subject: str
    body: str
    link: str
    sender_address: str = SENDER_ADDRESS
    deliver_at: float = 0.0  # time.monotonic() from which the recipient sees it (the delivery delay)

    def delivered(self, now: float) -> bool:
        return now >= self.deliver_at


@dataclass
class ResetToken:
    username: str
    created: float
    purpose: str = "reset"  # reset | signup
    used: bool = False


def strong_enough(password: str) -> bool:
    return (len(password) >= 10 and bool(re.search(r"[A-Z]", password)) and bool(re.search(r"[a-z]", password))
            and bool(re.search(r"\d", password)) and bool(re.search(r"[^A-Za-z0-9]", password)))


def password_error(new: str, again: str) -> str | None:
    """Why the portal refuses a new password typed twice, or None."""
    if new != again:
        return t("reset.mismatch")
    return None if strong_enough(new) else t("reset.weak")


def send_link(state: PortalState, to: str, language: str, purpose: str, endpoint: str) -> None:
    """E-mail `to` a single-use link to `endpoint`, from "Autentiseringstjänst", in `language`."""
    token = secrets.token_urlsafe(24)
    link = url_for(endpoint, token=token, _external=True)
    mail = Mail(to, label(language, "mail.sender", state.drift), label(language, f"{purpose}.mail.subject"),
                label(language, f"{purpose}.mail.body").format(link=link), link,
                OLDER_SENDER_ADDRESS if state.variants.mail_sender == "older" else SENDER_ADDRESS,
                time.monotonic() + state.mail_delay_s)
    with state.lock:
        state.reset_tokens[token] = ResetToken(to, time.monotonic(), purpose)
        state.mailbox.append(mail)
        if state.maildir_root is not None:
            deliver_later(state.maildir_root, mail, state.mail_delay_s)


def deliver_later(root: Path, mail: Mail, delay_s: float) -> None:
    """Into the Maildir now, or after the delivery delay (a timer thread: the mail server's side)."""
    if delay_s <= 0:
        deliver_to_maildir(root, mail)
        return
    timer = threading.Timer(delay_s, deliver_to_maildir, (root, mail))
    timer.daemon = True
    timer.start()


def deliver_to_maildir(root: Path, mail: Mail) -> None:
    """Also deliver `mail` as a real message to ROOT/<recipient>/ (Maildir), where an IMAP server
    such as Dovecot serves it: the tests read it the way tracesctl reads a real mailbox."""
    message = EmailMessage()
    message["From"] = formataddr((mail.sender, mail.sender_address))
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message.set_content(mail.body)
    folder = root / mail.to
    for sub in ("tmp", "new", "cur"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}.{secrets.token_hex(4)}.offline-portal"
    (folder / "tmp" / name).write_bytes(message.as_bytes())
    os.replace(folder / "tmp" / name, folder / "new" / name)  # Maildir: a message appears whole


def valid_token(state: PortalState, purpose: str) -> ResetToken | None:
    """The request's token when it is for `purpose`, unused and not expired."""
    token = state.reset_tokens.get(request.values.get("token", ""))
    if (token is None or token.purpose != purpose or token.used
            or time.monotonic() - token.created > state.reset_ttl_s):
        return None
    return token


def new_password_from_form(state: PortalState, purpose: str, form: Callable[..., str]) -> tuple[ResetToken, str]:
    """The link's token and the new password typed twice. A used or expired link, or a password
    the rule refuses, ends the request here with `form` showing why."""
    token = valid_token(state, purpose)
    if token is None:
        abort(make_response(form(invalid=True, error=None), 410))
    new = request.form.get("new_password", "")
    error = password_error(new, request.form.get("confirm_password", ""))
    if error:
        abort(make_response(form(invalid=False, error=error, token=request.form["token"]), 400))
    return token, new


@bp.get("/lostpassword")
def lost_password() -> ResponseReturnValue:
    return render_template("cas/lost_password.html", hide_body=True, sent=False, email=request.args.get("email", ""))


@bp.post("/lostpassword")
def send_reset_mail() -> ResponseReturnValue:
    state = portal()
    state.forms["cas.lostpassword"] += 1
    account = state.account(request.form.get("email", ""))
    if account is not None and state.variants.lockout == "auto_unlock" and state.is_blocked(account):
        # EUL-HELP: "you can't reset your password if your account is locked" (wording of the refusal inferred).
        state.forms["cas.lostpassword.refused_locked"] += 1
        return render_template("cas/lost_password.html", hide_body=True, sent=False, email=account.username,
                               error=t("reset.locked")), 423
    if account is not None:  # the answer is the same either way: no probing for addresses
        send_link(state, account.username, g.get("locale", DEFAULT_LOCALE), "reset", ".reset_password")
    return render_template("cas/lost_password.html", hide_body=True, sent=True, email="")


def _form(**values: object) -> str:
    return render_template("cas/reset_password.html", hide_body=True, heading=t("reset.new.heading"),
                           done_message=t("reset.done"), action=url_for(".set_new_password"), **values)


@bp.get("/password/reset")
def reset_password() -> ResponseReturnValue:
    if valid_token(portal(), "reset") is None:
        return _form(invalid=True, error=None), 410
    return _form(invalid=False, error=None, token=request.args["token"])


@bp.post("/password/reset")
def set_new_password() -> ResponseReturnValue:
    state = portal()
    state.forms["cas.password_reset"] += 1
    token, new = new_password_from_form(state, "reset", _form)
    account = state.account(token.username)
    with state.lock:
        token.used = True
        if account is not None:
            account.password = new
            state.unblock(account)
    return _form(invalid=False, error=None, done=True)
