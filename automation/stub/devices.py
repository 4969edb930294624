"""EU Login "Manage my mobile devices": the device list, removing a device, and "Add a mobile device"
(device name, 4-digit PIN twice, Submit, then the QR code the EU Login app scans: guide B4-B6). With a
device already registered, EU Login first wants a sign-in with that device (EC-APP).

Only the list's address is public (portal-facts); the add, status and remove paths are inferred.
The phone's side is the control API's simulated app (`/__stub__/app/enrol`).
"""

from __future__ import annotations

import json
import re
import secrets
import time

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response as WerkzeugResponse

from automation.stub.cas import account_or_login, qr_svg, session_strength
from automation.stub.state import MOBILE_APP, SOFTWARE_TOKEN, Account, Enrolment, PortalState
from automation.stub.web import portal, t, with_query

bp = Blueprint("devices", __name__, url_prefix="/cas/userdata/mobileApp")


def refresh(state: PortalState, enrolment: Enrolment) -> Enrolment:
    """Expire a pending enrolment whose time is up (real time: the QR code is short-lived)."""
    if enrolment.status == "pending" and time.monotonic() - enrolment.created > state.enrolment_ttl_s:
        enrolment.status = "expired"
    return enrolment


@bp.get("/manageMyMobileDevices.cgi")
def mobile_devices() -> ResponseReturnValue:
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    message = (t("cas.devices.registered") if request.args.get("registered")
               else t("cas.devices.removed") if request.args.get("removed") else None)
    return render_template("cas/devices.html", user=account, message=message, hide_body=True)


# The methods that prove the person holds a registered EU Login app.
APP_STRENGTHS = (MOBILE_APP, SOFTWARE_TOKEN)


def device_confirmed(account: Account) -> bool:
    """EC-APP: adding a mobile device when one is registered requires authenticating with the registered
    device. Here (inferred): the EU Login session must have been opened with the app's PIN or QR code."""
    return not account.devices or session_strength() in APP_STRENGTHS


def authenticate_with_device() -> WerkzeugResponse:
    """A step-up sign-in that takes only the app's methods, back to "Add a mobile device" afterwards."""
    portal().forms["cas.add_device.reauth"] += 1
    return redirect(with_query(url_for("cas.login"), service=url_for(".add_device_form", _external=True),
                               acceptStrengths=",".join(APP_STRENGTHS)))


@bp.get("/addMobileDevice.cgi")
def add_device_form() -> ResponseReturnValue:
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    if not device_confirmed(account):
        return authenticate_with_device()
    return render_template("cas/add_device.html", user=account, error=None, name="", hide_body=True)


@bp.post("/addMobileDevice.cgi")
def add_device() -> ResponseReturnValue:
    state = portal()
    state.forms["cas.add_device"] += 1
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    if not device_confirmed(account):  # a post that skipped the form: nothing is enrolled either
        return authenticate_with_device()
    name = request.form.get("deviceName", "").strip()
    pin, again = request.form.get("pin", ""), request.form.get("pinConfirm", "")
    error = (t("cas.add_device.no_name") if not name
             else t("cas.add_device.bad_pin") if not re.fullmatch(r"\d{4}", pin)
             else t("cas.add_device.pin_mismatch") if pin != again else None)
    if error:
        body = render_template("cas/add_device.html", user=account, error=error, name=name, hide_body=True)
        return make_response(body, 400)
    enrolment = Enrolment(f"ENR-{secrets.token_hex(8)}", account.username, name, pin, time.monotonic())
    with state.lock:
        state.enrolments[enrolment.id] = enrolment
    # Only the EU Login app can read this code (portal-facts): it names the enrolment, nothing else.
    qr = qr_svg(f"eulogin://enrol?enrolment={enrolment.id}")
    return render_template("cas/device_qr.html", user=account, enrolment=enrolment, qr=qr,
                           timeout=int(state.enrolment_ttl_s), hide_body=True)


@bp.get("/enrolment/status")
def enrolment_status() -> WerkzeugResponse:
    state = portal()
    enrolment = state.enrolments.get(request.args.get("id", ""))
    if enrolment is None:
        return WerkzeugResponse('{"status": "unknown"}', 404, mimetype="application/json")
    with state.lock:
        refresh(state, enrolment)
    remaining = max(0, int(state.enrolment_ttl_s - (time.monotonic() - enrolment.created)))
    return WerkzeugResponse(json.dumps({"status": enrolment.status, "remaining": remaining}),
                            mimetype="application/json")


@bp.post("/removeMobileDevice.cgi")
def remove_device() -> ResponseReturnValue:
    state = portal()
    state.forms["cas.remove_device"] += 1
    account = account_or_login()
    if isinstance(account, WerkzeugResponse):
        return account
    with state.lock:
        account.devices = [d for d in account.devices if d.id != request.form.get("deviceId", "")]
    return redirect(url_for(".mobile_devices", removed=1))
