"""Control API of the offline portal (`/__stub__/...`): it exists only here, never on the real site.

Tests and the demo use it to reset state, move the clock, act as the phone's EU Login app,
inject faults, choose variants of the real screens (`/variants`) and read counters.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
from flask import Blueprint, Response, jsonify, request

from automation.stub.devices import refresh
from automation.stub.password_reset import Mail, deliver_to_maildir
from automation.stub.state import MOBILE_APP, Account, MobileDevice, seeded_passkey
from automation.stub.variants import VariantError, as_dict, choices, differences_from_newest
from automation.stub.variants import apply as apply_variants
from automation.stub.web import portal

bp = Blueprint("control", __name__, url_prefix="/__stub__")


def _body() -> dict[str, Any]:
    return request.get_json(silent=True) or {}


@bp.post("/reset")
def reset() -> Response:
    portal().reset()
    return jsonify(ok=True)


@bp.get("/variants")
def variants() -> Response:
    """The variant settings in force, the values each allows, and where the defaults differ from the
    newest official sources."""
    current = portal().variants
    return jsonify(variants=as_dict(current), choices=choices(),
                   differs_from_newest={k: list(v) for k, v in differences_from_newest(current).items()})


@bp.post("/variants")
def set_variants() -> Response:
    """Choose variants: {"save_label": "save", "lockout": "auto_unlock", ...}, optionally starting
    from {"preset": "newest_official" | "defaults"}. Unknown names or values: 400, nothing changed.
    /__stub__/reset puts every setting back to its default."""
    state = portal()
    with state.lock:
        try:
            state.variants = apply_variants(state.variants, _body())
        except VariantError as error:
            return Response(json.dumps({"error": str(error)}), 400, mimetype="application/json")
        return jsonify(variants=as_dict(state.variants))


@bp.get("/state")
def state() -> Response:
    return jsonify(portal().snapshot())


@bp.post("/clock")
def clock() -> Response:
    """Move the portal's clock: {"advance_days": N} or {"set": ISO-8601}."""
    state = portal()
    body = _body()
    with state.lock:
        if "set" in body:
            state.clock_offset = datetime.fromisoformat(body["set"]) - (state.now() - state.clock_offset)
        state.clock_offset += timedelta(days=float(body.get("advance_days", 0)))
    return jsonify(now=state.now().isoformat())


@bp.post("/app/approve")
def app_approve() -> Response:
    """The simulated phone approves (or with {"deny": true} refuses) the pending PIN request. With
    {"pin": "1234"} the app first checks the PIN against the one set when the device was added."""
    state = portal()
    body = _body()
    username = str(body.get("username", "")).lower()
    account = state.account(username)
    if "pin" in body and (account is None or all(d.pin != str(body["pin"]) for d in account.devices)):
        return Response('{"error": "wrong PIN"}', 403, mimetype="application/json")
    with state.lock:
        pending = [lr for lr in state.login_requests.values()
                   if lr.username == username and lr.strength == MOBILE_APP and lr.pin_status == "pending"
                   and time.monotonic() <= lr.pin_deadline]
        for lr in pending:
            lr.pin_status = "denied" if body.get("deny") else "approved"
    if not pending:
        return Response('{"error": "no pending request"}', 404, mimetype="application/json")
    return jsonify(approved=len(pending))


@bp.get("/app/code")
def app_code() -> Response:
    """The one-time password the simulated EU Login app shows now (RFC 6238 from its secret);
    ?device=NAME for one of several devices (default: the first)."""
    account = portal().account(request.args.get("username", ""))
    wanted = request.args.get("device")
    devices = [d for d in (account.devices if account else []) if wanted is None or d.name == wanted]
    if not devices:
        return Response('{"error": "no app registered"}', 404, mimetype="application/json")
    return jsonify(code=pyotp.TOTP(devices[0].secret).now())


@bp.post("/app/enrol")
def app_enrol() -> Response:
    """The simulated phone scans the "Add a mobile device" QR code and enters the PIN:
    {"username", "pin"} (the newest pending enrolment of that user), or {"enrolment": id, "pin"}.
    Answers the new device's RFC 6238 secret, which a real app never reveals."""
    state = portal()
    body = _body()
    with state.lock:
        pending = [refresh(state, e) for e in state.enrolments.values()
                   if e.id == body.get("enrolment") or e.username == str(body.get("username", "")).lower()]
        if not pending:
            return Response('{"error": "no enrolment"}', 404, mimetype="application/json")
        enrolment = pending[-1]
        if enrolment.status != "pending":
            return Response(json.dumps({"error": enrolment.status}), 410, mimetype="application/json")
        if str(body.get("pin", "")) != enrolment.pin:
            return Response('{"error": "wrong PIN"}', 403, mimetype="application/json")
        account = state.account(enrolment.username)
        if account is None:
            return Response('{"error": "unknown account"}', 404, mimetype="application/json")
        device = MobileDevice(enrolment.device_name, pyotp.random_base32(), enrolment.pin, state.now())
        account.devices.append(device)
        enrolment.status = "registered"
    return jsonify(secret=device.secret, device=device.name, id=device.id)


@bp.get("/captcha")
def captcha() -> Response:
    """The code of the newest "Create an account" captcha (or ?id=), for tests: people read the image."""
    state = portal()
    with state.lock:
        wanted = request.args.get("id")
        found = [(k, v) for k, v in state.captchas.items() if wanted is None or k == wanted]
    if not found:
        return Response('{"error": "no captcha"}', 404, mimetype="application/json")
    return jsonify(id=found[-1][0], code=found[-1][1])


@bp.get("/mailbox")
def mailbox() -> Response:
    """The e-mails the portal sent, newest last; ?to=ADDRESS for one recipient's."""
    to = request.args.get("to", "").lower()
    now = time.monotonic()
    return jsonify([{"to": m.to, "from": m.sender, "from_address": m.sender_address, "subject": m.subject,
                     "body": m.body, "link": m.link}
                    for m in sorted(portal().mailbox, key=lambda m: m.deliver_at)  # in the order they arrived
                    if (not to or m.to == to) and m.delivered(now)])


@bp.post("/mailbox")
def send_foreign_mail() -> Response:
    """Deliver an e-mail from somebody other than EU Login: {"to", "from_address", "body"} (a test's
    look-alike with a link, which the toolkit must not follow)."""
    state = portal()
    body = _body()
    mail = Mail(str(body.get("to", "")).lower(), str(body.get("from", "EU Login")), "EU Login",
                str(body.get("body", "")), "", str(body.get("from_address", "someone@example.com")), time.monotonic())
    with state.lock:
        state.mailbox.append(mail)
        if state.maildir_root is not None:
            deliver_to_maildir(state.maildir_root, mail)
    return jsonify(ok=True)


@bp.post("/faults")
def faults() -> Response:
    """{"latency_ms": N, "fail_next": N, "error_rate": 0..1}: slow every answer, answer 503 to the
    next N requests, or to a share of all requests. {"after_password": "lost" | "held", "count": N}: the
    next N password posts are processed, then their answer is lost (503) or held back until
    {"release_answers": true}. {"hold_operator_search": N}: the next N answers to TRACES' operator
    search are held back the same way (counter traces.operator_search.held)."""
    state = portal()
    body = _body()
    with state.lock:
        state.faults.latency_ms = int(body.get("latency_ms", state.faults.latency_ms))
        state.faults.fail_next = int(body.get("fail_next", state.faults.fail_next))
        state.faults.error_rate = min(1.0, max(0.0, float(body.get("error_rate", state.faults.error_rate))))
        state.faults.fail_after_submit = int(body.get("fail_after_submit", state.faults.fail_after_submit))
        if "after_password" in body:
            if body["after_password"] not in ("", "lost", "held"):
                return Response('{"error": "after_password: lost, held or empty"}', 400,
                                mimetype="application/json")
            state.faults.after_password = str(body["after_password"])
            state.faults.after_password_count = int(body.get("count", 1))
            state.faults.answers_released.clear()
        if "hold_operator_search" in body:
            state.faults.hold_operator_search = int(body["hold_operator_search"])
            state.faults.answers_released.clear()
        if body.get("release_answers"):
            state.faults.answers_released.set()
    return jsonify(latency_ms=state.faults.latency_ms, fail_next=state.faults.fail_next,
                   error_rate=state.faults.error_rate, fail_after_submit=state.faults.fail_after_submit)


@bp.post("/traces/withdraw")
def traces_withdraw() -> Response:
    """A user withdraws a pending request (it vanishes from the administrator's list): {"username", "operator_id"}."""
    state = portal()
    body = _body()
    with state.lock:
        gone = [r for r in state.traces.requests if r.username == str(body.get("username", "")).lower()
                and r.operator_id == int(body.get("operator_id", 0)) and r.status == "pending"]
        for request_ in gone:
            state.traces.requests.remove(request_)
    return jsonify(withdrawn=len(gone))


@bp.post("/traces/approve")
def traces_approve() -> Response:
    """The competent authority approves a pending request: {"username", "operator_id"}. The creator of
    an operator, or its first authorised user, becomes its administrator (guide D1)."""
    state = portal()
    body = _body()
    username = str(body.get("username", "")).lower()
    with state.lock:
        pending = [r for r in state.traces.requests if r.username == username and r.status == "pending"
                   and (not body.get("operator_id") or r.operator_id == int(body["operator_id"]))]
        for request_ in pending:
            operator = state.traces.operator(request_.operator_id)
            first = not any(r.status == "authorised" for r in state.traces.requests
                            if r.operator_id == request_.operator_id)
            request_.status, request_.administrator = "authorised", first
            if operator is not None:
                operator.status = "valid"
    return jsonify(approved=len(pending))


@bp.post("/sessions/end")
def end_sessions() -> Response:
    """End a user's EU Login and TRACES sessions, as a server-side expiry would."""
    return jsonify(ended=portal().end_sessions(str(_body().get("username", "")).lower()))


@bp.post("/settings")
def settings() -> Response:
    """{"pin_timeout_s": N, "ticket_ttl_s": N, "reset_ttl_s": N, "enrolment_ttl_s": N,
    "app_auto_approve_s": N or null, "maildir_root": PATH or null (also deliver e-mails there),
    "mail_delay_s": N (deliver each e-mail N seconds after it is sent; EUL-MAIL: up to 20 minutes)}."""
    state = portal()
    body = _body()
    with state.lock:
        if "app_auto_approve_s" in body:
            value = body["app_auto_approve_s"]
            state.app_auto_approve_s = None if value is None else float(value)
        state.pin_timeout_s = float(body.get("pin_timeout_s", state.pin_timeout_s))
        state.ticket_ttl_s = float(body.get("ticket_ttl_s", state.ticket_ttl_s))
        state.reset_ttl_s = float(body.get("reset_ttl_s", state.reset_ttl_s))
        state.enrolment_ttl_s = float(body.get("enrolment_ttl_s", state.enrolment_ttl_s))
        state.mail_delay_s = max(0.0, float(body.get("mail_delay_s", state.mail_delay_s)))
        if "maildir_root" in body:
            state.maildir_root = Path(body["maildir_root"]) if body["maildir_root"] else None
    return jsonify(pin_timeout_s=state.pin_timeout_s, ticket_ttl_s=state.ticket_ttl_s,
                   app_auto_approve_s=state.app_auto_approve_s, mail_delay_s=state.mail_delay_s)


@bp.post("/accounts")
def create_account() -> Response:
    """Add an account: {"username", "password", "password_only_allowed", "app_secret", "seeded_passkey",
    "last_use_days_ago"}. "seeded_passkey": true registers the passkey derived from the e-mail
    (automation/stub/seeded_keys.py), as the seeded accounts have: TRACES wants a second factor."""
    state = portal()
    body = _body()
    username = str(body.get("username", "")).strip().lower()
    if "@" not in username or not body.get("password"):
        return Response('{"error": "username and password needed"}', 400, mimetype="application/json")
    with state.lock:
        state.accounts[username] = Account(
            username, str(body["password"]), str(body.get("first_name", "Test")), str(body.get("last_name", "User")),
            password_only_allowed=bool(body.get("password_only_allowed", False)),
            devices=[MobileDevice("EU Login", str(body["app_secret"]), str(body.get("pin", "0000")), state.now())]
            if body.get("app_secret") else [],
            passkeys=[seeded_passkey(username)] if body.get("seeded_passkey") else [],
            last_traces_use=state.now() - timedelta(days=float(body.get("last_use_days_ago", 10))),
        )
    return jsonify(ok=True)


@bp.post("/accounts/<username>")
def update_account(username: str) -> Response:
    """Arrange an account for a test: {"last_use_days_ago", "suspended", "blocked", "password"}."""
    state = portal()
    account = state.account(username)
    if account is None:
        return Response('{"error": "unknown account"}', 404, mimetype="application/json")
    body = _body()
    with state.lock:
        if "last_use_days_ago" in body:
            account.last_traces_use = state.now() - timedelta(days=float(body["last_use_days_ago"]))
        if "suspended" in body:
            account.traces_suspended = bool(body["suspended"])
        if "blocked" in body:
            if body["blocked"]:
                state.block(account)
            else:
                state.unblock(account)
            account.failed_in_row = 0
        if "password" in body:
            account.password = str(body["password"])
    return jsonify(ok=True)


@bp.post("/drift")
def drift() -> Response:
    """Rename a label: {"locale": "sv", "key": "traces.login", "label": "Logga in här"}; or an
    element's id or name on every screen: {"id": "userQuery", "to": "userSearchText"}; {} clears both."""
    state = portal()
    body = _body()
    with state.lock:
        if not body:
            state.drift.clear()
            state.id_drift.clear()
        elif "id" in body:
            if not str(body.get("to", "")).strip() or not str(body["id"]).strip():
                return Response('{"error": "id and to needed"}', 400, mimetype="application/json")
            state.id_drift[str(body["id"])] = str(body["to"])
        else:
            state.drift[f"{body['locale']}:{body['key']}"] = str(body["label"])
    return jsonify(drift=state.drift, ids=state.id_drift)
